package com.cct.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.cct.auth.AuthenticatedUser;
import com.cct.auth.WebSliceSecurity;
import com.cct.format.Format;
import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskFixtures;
import com.cct.task.TaskRepository;
import com.cct.task.TaskService;
import com.cct.task.TaskStatus;
import com.cct.task.UserLimits;

/** The event stream end to end through MVC's async handling, with real streams and a mocked relay. */
@WebMvcTest(TaskEventsController.class)
@Import({ WebSliceSecurity.class, TaskStreams.class, TaskEventsControllerTests.Limits.class })
class TaskEventsControllerTests {

	private static final Pattern EVENT = Pattern.compile("id:(\\d+)\nevent:(\\w+)\ndata:(\\{.*?})\n\n");

	@Autowired
	MockMvc mvc;

	@Autowired
	WebSliceSecurity.Tokens tokens;

	@MockitoBean
	TaskService service;

	@MockitoBean
	TaskEventRelay relay;

	@MockitoBean
	TaskRepository tasks;

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	private Task uploaded;

	private MvcResult started;

	@Autowired
	TaskStreams streams;

	@BeforeEach
	void setUp() {
		this.uploaded = TaskFixtures.uploaded(this.alice.id(), "song.mp3", Format.MP3, Format.OGG);
	}

	@Test
	void aFinishedTaskGetsOneStatusEventAndTheStreamEnds() throws Exception {
		Task processed = TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSED);
		given(this.service.get(this.alice.id(), processed.id())).willReturn(processed);

		String body = finished(open(processed.id()));

		assertThat(events(body)).containsExactly("1 status processed");
		verify(this.relay, never()).add(any());
		verifyNoInteractions(this.tasks);
	}

	@Test
	void aRunningTaskIsFollowedAndReadOnceMoreForWhatHappenedMeanwhile() throws Exception {
		given(this.service.get(this.alice.id(), this.uploaded.id())).willReturn(this.uploaded);
		given(this.tasks.findById(this.uploaded.id())).willReturn(Optional.of(this.uploaded));

		MvcResult result = open(this.uploaded.id());

		assertThat(events(result.getResponse().getContentAsString())).containsExactly("1 status uploaded");
		assertThat(result.getResponse().getHeader("X-Accel-Buffering")).isEqualTo("no");
		assertThat(result.getResponse().getHeader(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-cache");
		verify(this.relay).add(any());
		verify(this.tasks).findById(this.uploaded.id());
	}

	@Test
	void relayedEventsFollowTheSnapshotUntilTheTaskEnds() throws Exception {
		given(this.service.get(this.alice.id(), this.uploaded.id())).willReturn(this.uploaded);
		given(this.tasks.findById(this.uploaded.id())).willReturn(Optional.of(this.uploaded));
		MvcResult result = open(this.uploaded.id());
		ArgumentCaptor<TaskStream> followed = ArgumentCaptor.forClass(TaskStream.class);
		verify(this.relay).add(followed.capture());
		Task running = TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSING);

		followed.getValue().send(TaskEvent.PROGRESS, running);
		followed.getValue().send(TaskEvent.PROGRESS, running.withProgress(70));
		followed.getValue().send(TaskEvent.STATUS, TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSED));

		assertThat(events(finished(result))).containsExactly("1 status uploaded", "2 status processing",
				"3 progress processing", "4 status processed");
		verify(this.relay).remove(followed.getValue());
	}

	@Test
	void aTaskThatEndedBeforeTheStreamWasFollowedIsSentAtOnce() throws Exception {
		Task running = TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSING);
		given(this.service.get(this.alice.id(), this.uploaded.id())).willReturn(running);
		given(this.tasks.findById(this.uploaded.id()))
			.willReturn(Optional.of(TaskFixtures.inStatus(this.uploaded, TaskStatus.FAILED)));

		String body = finished(open(this.uploaded.id()));

		assertThat(events(body)).containsExactly("1 status processing", "2 status failed");
	}

	@Test
	void aTaskDeletedMeanwhileEndsTheStream() throws Exception {
		given(this.service.get(this.alice.id(), this.uploaded.id())).willReturn(this.uploaded);
		given(this.tasks.findById(this.uploaded.id())).willReturn(Optional.empty());

		String body = finished(open(this.uploaded.id()));

		assertThat(events(body)).containsExactly("1 status uploaded");
	}

	@Test
	void theRecheckEndsAStreamWhoseFinalEventNeverCame() throws Exception {
		TaskStream stream = followedWhileRedisIsLive();
		given(this.tasks.findAllById(List.of(this.uploaded.id())))
			.willReturn(List.of(TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSED)));

		this.streams.recheckWhileRedisIsLive();

		assertThat(events(finished(this.started))).containsExactly("1 status uploaded", "2 status processed");
		verify(this.relay).remove(stream);
	}

	@Test
	void theRecheckSendsNoEarlierStateThanTheEventsMayHave() throws Exception {
		TaskStream stream = followedWhileRedisIsLive();
		given(this.tasks.findAllById(List.of(this.uploaded.id())))
			.willReturn(List.of(TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSING)));

		this.streams.recheckWhileRedisIsLive();
		stream.send(TaskEvent.STATUS, TaskFixtures.inStatus(this.uploaded, TaskStatus.CANCELLED));

		assertThat(events(finished(this.started))).containsExactly("1 status uploaded", "2 status cancelled");
	}

	@Test
	void theRecheckEndsTheStreamOfATaskThatIsGone() throws Exception {
		followedWhileRedisIsLive();
		given(this.tasks.findAllById(List.of(this.uploaded.id()))).willReturn(List.of());

		this.streams.recheckWhileRedisIsLive();

		assertThat(events(finished(this.started))).containsExactly("1 status uploaded");
	}

	@Test
	void noRecheckWhileRedisIsAway() throws Exception {
		followedWhileRedisIsLive();
		given(this.relay.isLive()).willReturn(false);

		this.streams.recheckWhileRedisIsLive();

		verify(this.tasks, never()).findAllById(any());
	}

	/** An open stream of the uploaded task, its events relayed, as {@link #started}. */
	private TaskStream followedWhileRedisIsLive() throws Exception {
		given(this.service.get(this.alice.id(), this.uploaded.id())).willReturn(this.uploaded);
		given(this.tasks.findById(this.uploaded.id())).willReturn(Optional.of(this.uploaded));
		this.started = open(this.uploaded.id());
		ArgumentCaptor<TaskStream> followed = ArgumentCaptor.forClass(TaskStream.class);
		verify(this.relay).add(followed.capture());
		TaskStream stream = followed.getValue();
		given(this.relay.isLive()).willReturn(true);
		given(this.relay.followedTasks()).willReturn(Set.of(this.uploaded.id()));
		willAnswer(call -> {
			call.<Consumer<TaskStream>>getArgument(1).accept(stream);
			return null;
		}).given(this.relay).deliver(eq(this.uploaded.id()), any());
		return stream;
	}

	@Test
	void anAccountMayKeepTwoStreamsOpenAndGetsA429ForTheThirdUntilOneEnds() throws Exception {
		Task second = TaskFixtures.uploaded(this.alice.id(), "other.mp3", Format.MP3, Format.OGG);
		for (Task task : List.of(this.uploaded, second)) {
			given(this.service.get(this.alice.id(), task.id())).willReturn(task);
			given(this.tasks.findById(task.id())).willReturn(Optional.of(task));
		}
		MvcResult first = open(this.uploaded.id());
		open(second.id());

		// as the page asks, with Accept: text/event-stream
		this.mvc.perform(get("/api/tasks/{id}/events", second.id()).header(HttpHeaders.AUTHORIZATION, bearer())
			.accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(status().isTooManyRequests())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "10"))
			.andExpect(jsonPath("$.type").value("urn:cct:problem:too-many-streams"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("2 event streams open")));
		AuthenticatedUser bob = new AuthenticatedUser(UUID.randomUUID(), "bob");
		Task bobs = TaskFixtures.uploaded(bob.id(), "bob.mp3", Format.MP3, Format.OGG);
		given(this.service.get(bob.id(), bobs.id())).willReturn(bobs);
		given(this.tasks.findById(bobs.id())).willReturn(Optional.of(bobs));
		this.mvc.perform(get("/api/tasks/{id}/events", bobs.id()).header(HttpHeaders.AUTHORIZATION, this.tokens.bearer(bob)))
			.andExpect(request().asyncStarted());

		ArgumentCaptor<TaskStream> followed = ArgumentCaptor.forClass(TaskStream.class);
		verify(this.relay, org.mockito.Mockito.atLeastOnce()).add(followed.capture());
		followed.getAllValues().get(0).send(TaskEvent.STATUS, TaskFixtures.inStatus(this.uploaded, TaskStatus.PROCESSED));
		finished(first);
		open(second.id());
	}

	@Test
	void aMalformedIdIsNotFound() throws Exception {
		this.mvc.perform(get("/api/tasks/{id}/events", "nope").header(HttpHeaders.AUTHORIZATION, bearer()))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("urn:cct:problem:not-found"));
		verifyNoInteractions(this.service);
	}

	@Test
	void streamsNeedAToken() throws Exception {
		this.mvc.perform(get("/api/tasks/{id}/events", this.uploaded.id()))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
		verifyNoInteractions(this.service);
	}

	private MvcResult open(UUID id) throws Exception {
		return this.mvc.perform(get("/api/tasks/{id}/events", id).header(HttpHeaders.AUTHORIZATION, bearer()))
			.andExpect(request().asyncStarted())
			.andReturn();
	}

	/** The whole body of a stream that has completed. */
	private String finished(MvcResult started) throws Exception {
		return this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	/** Each event as "id name status". */
	private static List<String> events(String body) {
		Matcher matcher = EVENT.matcher(body);
		List<String> events = new ArrayList<>();
		while (matcher.find()) {
			String status = matcher.group(3).replaceAll(".*\"status\":\"(\\w+)\".*", "$1");
			events.add(matcher.group(1) + " " + matcher.group(2) + " " + status);
		}
		return events;
	}

	private String bearer() {
		return this.tokens.bearer(this.alice);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Limits {

		@Bean
		UserLimits userLimits() {
			return new UserLimits(10, DataSize.ofGigabytes(10), 200, 2);
		}

	}

}
