package com.cct.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.cct.auth.AuthenticatedUser;
import com.cct.auth.WebSliceSecurity;
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;
import com.cct.task.TaskFixtures;
import com.cct.task.TaskRepository;
import com.cct.task.TaskStatus;

@WebMvcTest(FileController.class)
@Import({ WebSliceSecurity.class, FileControllerTests.Storage.class })
class FileControllerTests {

	private static final byte[] RESULT = "0123456789 the converted bytes".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ORIGINAL = "the original bytes".getBytes(StandardCharsets.US_ASCII);

	@TempDir
	static Path root;

	@Autowired
	MockMvc mvc;

	@Autowired
	FileStorage storage;

	@Autowired
	WebSliceSecurity.Tokens tokens;

	@MockitoBean
	TaskRepository tasks;

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	private final AuthenticatedUser bob = new AuthenticatedUser(UUID.randomUUID(), "bob");

	private Task processed;

	@BeforeEach
	void setUp() throws Exception {
		this.processed = TaskFixtures.inStatus(TaskFixtures.uploaded(this.alice.id(), "song.mp3", Format.MP3, Format.OGG),
				TaskStatus.PROCESSED);
		write(this.storage.original(this.processed), ORIGINAL);
		write(this.storage.processed(this.processed), RESULT);
		given(this.tasks.findByUserIdAndFileName(this.alice.id(), this.processed.processedFile()))
			.willReturn(Optional.of(this.processed));
		given(this.tasks.findByUserIdAndFileName(this.alice.id(), this.processed.originalFile()))
			.willReturn(Optional.of(this.processed));
	}

	@Test
	void aProcessedResultIsAnAttachmentNamedAfterTheOriginal() throws Exception {
		MvcResult result = this.mvc.perform(download(this.alice, this.processed.processedFile()))
			.andExpect(status().isOk())
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(content().contentType("audio/ogg"))
			.andExpect(content().bytes(RESULT))
			.andReturn();

		ContentDisposition disposition = ContentDisposition
			.parse(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION));
		assertThat(disposition.isAttachment()).isTrue();
		assertThat(disposition.getFilename()).isEqualTo("song.ogg");
	}

	@Test
	void theOriginalIsDownloadedUnderItsOwnName() throws Exception {
		MvcResult result = this.mvc.perform(download(this.alice, this.processed.originalFile()))
			.andExpect(status().isOk())
			.andExpect(content().bytes(ORIGINAL))
			.andReturn();

		assertThat(ContentDisposition.parse(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION))
			.getFilename()).isEqualTo("song.mp3");
	}

	@Test
	void aNameOutsideAsciiSurvivesTheHeader() throws Exception {
		Task task = TaskFixtures.inStatus(TaskFixtures.uploaded(this.alice.id(), "Café \"live\".mp3", Format.MP3,
				Format.OGG), TaskStatus.PROCESSED);
		write(this.storage.processed(task), RESULT);
		given(this.tasks.findByUserIdAndFileName(this.alice.id(), task.processedFile())).willReturn(Optional.of(task));

		MvcResult result = this.mvc.perform(download(this.alice, task.processedFile()))
			.andExpect(status().isOk())
			.andReturn();

		assertThat(ContentDisposition.parse(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION))
			.getFilename()).isEqualTo("Café \"live\".ogg");
	}

	@Test
	void aRangeRequestGetsPartialContent() throws Exception {
		this.mvc.perform(download(this.alice, this.processed.processedFile()).header(HttpHeaders.RANGE, "bytes=0-9"))
			.andExpect(status().isPartialContent())
			.andExpect(header().string(HttpHeaders.CONTENT_RANGE, "bytes 0-9/" + RESULT.length))
			.andExpect(content().bytes("0123456789".getBytes(StandardCharsets.US_ASCII)));
	}

	@Test
	void aNameThatIsNoStoredNameIsNotFoundWithoutALookUp() throws Exception {
		for (String name : new String[] { "song.mp3", "ABCDEF0123456789ABCDEF0123456789.ogg",
				"0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef.ogg.tar.gz" }) {
			this.mvc.perform(download(this.alice, name))
				.andExpect(status().isNotFound())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value("urn:cct:problem:not-found"));
		}
		verifyNoInteractions(this.tasks);
	}

	@Test
	void anotherUsersFileIsNotFound() throws Exception {
		this.mvc.perform(download(this.bob, this.processed.processedFile()))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("urn:cct:problem:not-found"));
	}

	@Test
	void theResultOfATaskNotProcessedYetIsNotFoundEvenIfAFileIsThere() throws Exception {
		for (TaskStatus status : new TaskStatus[] { TaskStatus.UPLOADED, TaskStatus.PROCESSING, TaskStatus.FAILED }) {
			Task unfinished = TaskFixtures.inStatus(this.processed, status);
			given(this.tasks.findByUserIdAndFileName(this.alice.id(), unfinished.processedFile()))
				.willReturn(Optional.of(unfinished));

			this.mvc.perform(download(this.alice, unfinished.processedFile())).andExpect(status().isNotFound());
		}
	}

	@Test
	void theOriginalOfATaskStillRunningCanBeDownloaded() throws Exception {
		Task running = TaskFixtures.inStatus(this.processed, TaskStatus.PROCESSING);
		given(this.tasks.findByUserIdAndFileName(this.alice.id(), running.originalFile()))
			.willReturn(Optional.of(running));

		this.mvc.perform(download(this.alice, running.originalFile())).andExpect(status().isOk());
	}

	@Test
	void aListedFileMissingOnDiskIsNotFound() throws Exception {
		Files.delete(this.storage.processed(this.processed));

		this.mvc.perform(download(this.alice, this.processed.processedFile())).andExpect(status().isNotFound());
	}

	@Test
	void downloadsNeedAToken() throws Exception {
		this.mvc.perform(get("/api/files/{name}", this.processed.processedFile()))
			.andExpect(status().isUnauthorized());
		verifyNoInteractions(this.tasks);
	}

	private MockHttpServletRequestBuilder download(AuthenticatedUser user, String name) {
		return get("/api/files/{name}", name).header(HttpHeaders.AUTHORIZATION, this.tokens.bearer(user));
	}

	private static void write(Path file, byte[] bytes) throws Exception {
		Files.createDirectories(file.getParent());
		Files.write(file, bytes);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Storage {

		@Bean
		FileStorage fileStorage() {
			return new FileStorage(new StorageSettings(root));
		}

	}

}
