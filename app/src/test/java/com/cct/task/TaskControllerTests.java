package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.cct.auth.AuthenticatedUser;
import com.cct.auth.WebSliceSecurity;
import com.cct.format.Format;
import com.cct.upload.TaskUploads;
import com.cct.web.Problems;

import jakarta.servlet.http.HttpServletRequest;

@WebMvcTest(TaskController.class)
@Import(WebSliceSecurity.class)
class TaskControllerTests {

	private static final String PROBLEM = "urn:cct:problem:";

	@Autowired
	MockMvc mvc;

	@Autowired
	WebSliceSecurity.Tokens tokens;

	@MockitoBean
	TaskUploads uploads;

	@MockitoBean
	TaskService service;

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	private String bearer;

	private Task task;

	@BeforeEach
	void setUp() {
		this.bearer = this.tokens.bearer(this.alice);
		this.task = TaskFixtures.uploaded(this.alice.id(), "song.mp3", Format.MP3, Format.OGG);
	}

	@Nested
	class Listing {

		@Test
		void listsTheCallersTasksOldestFirstByDefault() throws Exception {
			given(service.list(alice.id(), 100, false)).willReturn(List.of(task));

			mvc.perform(get("/api/tasks").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$[0].id").value(task.id().toString()))
				.andExpect(jsonPath("$[0].fileName").value("song.mp3"))
				.andExpect(jsonPath("$[0].originalFormat").value("mp3"))
				.andExpect(jsonPath("$[0].newFormat").value("ogg"))
				.andExpect(jsonPath("$[0].status").value("uploaded"))
				.andExpect(jsonPath("$[0].createdAt").value("2025-01-02T03:04:05Z"))
				.andExpect(jsonPath("$[0].links.self").value("/api/tasks/" + task.id()));
		}

		@Test
		void orderOneIsNewestFirstAndMaxIsPassedOn() throws Exception {
			given(service.list(alice.id(), 5, true)).willReturn(List.of());

			mvc.perform(get("/api/tasks").param("max", "5").param("order", "1").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isOk())
				.andExpect(content().json("[]"));
			verify(service).list(alice.id(), 5, true);
		}

		@Test
		void statusFiltersTheListAndAnUnknownOneIsInvalidStatus() throws Exception {
			given(service.list(alice.id(), 100, true, TaskStatus.PROCESSED)).willReturn(List.of(task));

			mvc.perform(get("/api/tasks").param("status", "processed").param("order", "1")
				.header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isOk())
				.andExpect(jsonPath("$[0].id").value(task.id().toString()));
			for (String status : List.of("done", "PROCESSED", "")) {
				mvc.perform(get("/api/tasks").param("status", status).header(HttpHeaders.AUTHORIZATION, bearer))
					.andExpect(status().isBadRequest())
					.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-status"));
			}
		}

		@Test
		void maxOutsideOneToAThousandIsInvalidMax() throws Exception {
			for (String max : List.of("0", "1001", "-1")) {
				mvc.perform(get("/api/tasks").param("max", max).header(HttpHeaders.AUTHORIZATION, bearer))
					.andExpect(status().isBadRequest())
					.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
					.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-max"))
					.andExpect(jsonPath("$.status").value(400));
			}
			verify(service, never()).list(any(), anyInt(), anyBoolean());
		}

		@Test
		void theBoundsThemselvesAreValid() throws Exception {
			mvc.perform(get("/api/tasks").param("max", "1").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isOk());
			mvc.perform(get("/api/tasks").param("max", "1000").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isOk());
		}

		@Test
		void anOrderOtherThanZeroOrOneIsInvalidOrder() throws Exception {
			mvc.perform(get("/api/tasks").param("order", "2").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-order"));
		}

		@Test
		void aMaxThatIsNoNumberIsABadRequestProblem() throws Exception {
			mvc.perform(get("/api/tasks").param("max", "many").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		}

	}

	@Nested
	class Authentication {

		@Test
		void withoutATokenTheAnswerIsAnUnauthorizedProblemAskingForABearerToken() throws Exception {
			mvc.perform(get("/api/tasks"))
				.andExpect(status().isUnauthorized())
				.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value(PROBLEM + "unauthorized"))
				.andExpect(jsonPath("$.status").value(401));
			verifyNoInteractions(service);
		}

		@Test
		void aForgedTokenIsUnauthorized() throws Exception {
			mvc.perform(get("/api/tasks").header(HttpHeaders.AUTHORIZATION, bearer + "x"))
				.andExpect(status().isUnauthorized());
			mvc.perform(get("/api/tasks").header(HttpHeaders.AUTHORIZATION, "Bearer not.a.token"))
				.andExpect(status().isUnauthorized());
		}

		@Test
		void anUploadWithoutATokenIsUnauthorizedAndNotRead() throws Exception {
			mvc.perform(upload()).andExpect(status().isUnauthorized());
			verifyNoInteractions(uploads);
		}

		@Test
		void noSessionCookieIsEverSet() throws Exception {
			given(service.list(alice.id(), 100, false)).willReturn(List.of());

			mvc.perform(get("/api/tasks").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isOk())
				.andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
		}

	}

	@Nested
	class OneTask {

		@Test
		void isReadForTheCaller() throws Exception {
			given(service.get(alice.id(), task.id())).willReturn(task);

			mvc.perform(get("/api/tasks/{id}", task.id()).header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.id").value(task.id().toString()))
				.andExpect(jsonPath("$.processedFile").doesNotExist())
				.andExpect(jsonPath("$.links.events").value("/api/tasks/" + task.id() + "/events"));
		}

		@Test
		void aMalformedIdIsNotFoundWithoutAsking() throws Exception {
			mvc.perform(get("/api/tasks/not-a-uuid").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isNotFound())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value(PROBLEM + "not-found"));
			verifyNoInteractions(service);
		}

		@Test
		void anUnknownTaskIsTheServicesNotFound() throws Exception {
			given(service.get(eq(alice.id()), any())).willThrow(Problems.notFound("No such task."));

			mvc.perform(get("/api/tasks/{id}", UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isNotFound())
				.andExpect(jsonPath("$.detail").value("No such task."));
		}

		@Test
		void deletingAnswersNoContent() throws Exception {
			mvc.perform(delete("/api/tasks/{id}", task.id()).header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isNoContent());
			verify(service).delete(alice.id(), task.id());
		}

		@Test
		void deletingAProcessingTaskIsTheConflictTheServiceRaises() throws Exception {
			willThrow(Problems.conflict("task-processing", "Task is processing", "Cancel it first."))
				.given(service)
				.delete(alice.id(), task.id());

			mvc.perform(delete("/api/tasks/{id}", task.id()).header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isConflict())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value(PROBLEM + "task-processing"))
				.andExpect(jsonPath("$.title").value("Task is processing"))
				.andExpect(jsonPath("$.detail").value("Cancel it first."));
		}

		@Test
		void cancelAndRetryAreAccepted() throws Exception {
			Task cancelled = TaskFixtures.inStatus(task, TaskStatus.CANCELLED);
			given(service.cancel(alice.id(), task.id())).willReturn(cancelled);
			given(service.retry(alice.id(), task.id())).willReturn(task);

			mvc.perform(post("/api/tasks/{id}/cancel", task.id()).header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isAccepted())
				.andExpect(jsonPath("$.status").value("cancelled"));
			mvc.perform(post("/api/tasks/{id}/retry", task.id()).header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isAccepted())
				.andExpect(jsonPath("$.status").value("uploaded"));
		}

	}

	@Nested
	class Upload {

		@Test
		void createsATaskAndPointsAtIt() throws Exception {
			given(uploads.upload(eq(alice), any())).willReturn(new TaskUploads.Outcome(task, false));

			mvc.perform(upload().header("Idempotency-Key", "key-1").header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isCreated())
				.andExpect(header().string(HttpHeaders.LOCATION, "/api/tasks/" + task.id()))
				.andExpect(header().string("Idempotent-Replayed", "false"))
				.andExpect(jsonPath("$.id").value(task.id().toString()));

			ArgumentCaptor<HttpServletRequest> request = ArgumentCaptor.forClass(HttpServletRequest.class);
			verify(uploads).upload(eq(alice), request.capture());
			assertThat(request.getValue().getHeader("Idempotency-Key")).isEqualTo("key-1");
		}

		@Test
		void aRawBodyIsHandedOverAsWell() throws Exception {
			given(uploads.upload(eq(alice), any())).willReturn(new TaskUploads.Outcome(task, false));

			mvc.perform(post("/api/tasks").queryParam("newFormat", "ogg")
				.queryParam("fileName", "song.mp3")
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.content(new byte[] { 1, 2, 3 })
				.header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isCreated());
		}

		@Test
		void aReplayedUploadSaysSo() throws Exception {
			given(uploads.upload(eq(alice), any())).willReturn(new TaskUploads.Outcome(task, true));

			mvc.perform(upload().header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isCreated())
				.andExpect(header().string("Idempotent-Replayed", "true"));
		}

		@Test
		void aRefusedUploadIsTheValidatorsProblem() throws Exception {
			given(uploads.upload(eq(alice), any())).willThrow(Problems.unsupportedMedia("Not an mp3."));

			mvc.perform(upload().header(HttpHeaders.AUTHORIZATION, bearer))
				.andExpect(status().isUnsupportedMediaType())
				.andExpect(jsonPath("$.type").value(PROBLEM + "content-mismatch"));
		}

	}

	private static MockHttpServletRequestBuilder upload() {
		String boundary = "----cctcontroller";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nogg\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"song.mp3\"\r\n\r\n"
				+ "abc\r\n--" + boundary + "--\r\n";
		return post("/api/tasks").contentType("multipart/form-data; boundary=" + boundary)
			.content(body.getBytes(StandardCharsets.UTF_8));
	}

}
