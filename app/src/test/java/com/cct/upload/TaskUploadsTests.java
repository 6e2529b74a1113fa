package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.multipart.MultipartException;

import com.cct.auth.AuthenticatedUser;
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;
import com.cct.task.UsageLimitException;
import com.cct.task.TaskFixtures;
import com.cct.task.TaskLifecycle;
import com.cct.task.TaskRepository;
import com.cct.task.TaskStatus;
import com.cct.user.UserRepository;

/** The upload path with a real validator, inspector and storage; the stores are mocks. */
class TaskUploadsTests {

	/** A PNG signature and header start: enough for content detection. */
	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H',
			'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0 };

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	private final TaskRepository tasks = mock(TaskRepository.class);

	private final UserRepository users = mock(UserRepository.class);

	private final TaskLifecycle lifecycle = mock(TaskLifecycle.class);

	@TempDir
	Path root;

	private FileStorage storage;

	private TaskUploads uploads;

	@BeforeEach
	void setUp() {
		this.storage = new FileStorage(new StorageSettings(this.root));
		this.uploads = new TaskUploads(this.tasks, this.users, this.storage,
				new UploadValidator(new UploadSettings(DataSize.ofMegabytes(1))), new ContentInspector(),
				this.lifecycle, Clock.fixed(NOW, ZoneOffset.UTC));
		given(this.users.findNotifyOwner(this.alice.id())).willReturn(Optional.of(true));
		given(this.lifecycle.create(any())).willAnswer(call -> call.getArgument(0));
	}

	@Test
	void storesTheFileInTheTaskFolderAndCreatesAnUploadedTask() throws IOException {
		TaskUploads.Outcome outcome = this.uploads.upload(this.alice, request("picture.png", PNG, "webp", null, null));

		Task task = outcome.task();
		assertThat(outcome.replayed()).isFalse();
		assertThat(task.userId()).isEqualTo(this.alice.id());
		assertThat(task.fileName()).isEqualTo("picture.png");
		assertThat(task.source()).isEqualTo(Format.PNG);
		assertThat(task.target()).isEqualTo(Format.WEBP);
		assertThat(task.status()).isEqualTo(TaskStatus.UPLOADED);
		assertThat(task.sizeBytes()).isEqualTo(PNG.length);
		assertThat(task.createdAt()).isEqualTo(NOW);
		assertThat(task.originalFile()).matches("[0-9a-f]{32}\\.png");
		assertThat(task.processedFile()).matches("[0-9a-f]{32}\\.webp");
		assertThat(Files.readAllBytes(this.storage.original(task))).isEqualTo(PNG);
	}

	@Test
	void theAccountsMailSettingAppliesUnlessTheUploadChoseItself() {
		Task byAccount = this.uploads.upload(this.alice, request("a.png", PNG, "jpg", null, null)).task();
		Task byUpload = this.uploads.upload(this.alice, request("b.png", PNG, "jpg", false, null)).task();

		assertThat(byAccount.notifyOwner()).isTrue();
		assertThat(byUpload.notifyOwner()).isFalse();
	}

	@Test
	void aKnownIdempotencyKeyReplaysTheEarlierTaskWithoutLookingAtTheUpload() {
		Task earlier = TaskFixtures.uploaded(this.alice.id(), "picture.png", Format.PNG, Format.WEBP);
		given(this.tasks.findByUserIdAndIdempotencyKey(this.alice.id(), "key-1")).willReturn(Optional.of(earlier));

		TaskUploads.Outcome outcome = this.uploads.upload(this.alice,
				withKeyOnly(" key-1 "));

		assertThat(outcome.replayed()).isTrue();
		assertThat(outcome.task()).isSameAs(earlier);
		verifyNoInteractions(this.lifecycle);
	}

	@Test
	void aNewIdempotencyKeyIsStoredWithTheTask() {
		Task task = this.uploads.upload(this.alice, request("picture.png", PNG, "webp", null, "key-2")).task();

		assertThat(task.idempotencyKey()).isEqualTo("key-2");
	}

	@Test
	void aParallelRetryWithTheSameKeyThatWonIsReturnedAsReplayedAndOurFolderRemoved() throws IOException {
		Task winner = TaskFixtures.uploaded(this.alice.id(), "picture.png", Format.PNG, Format.WEBP);
		given(this.tasks.findByUserIdAndIdempotencyKey(this.alice.id(), "key-3")).willReturn(Optional.empty(),
				Optional.of(winner));
		given(this.lifecycle.create(any())).willThrow(new DuplicateKeyException("idempotency key"));

		TaskUploads.Outcome outcome = this.uploads.upload(this.alice, request("picture.png", PNG, "webp", null, "key-3"));

		assertThat(outcome.replayed()).isTrue();
		assertThat(outcome.task()).isSameAs(winner);
		assertThat(filesUnder(this.root)).isZero();
	}

	@Test
	void aTaskThatCannotBeCreatedLeavesNoFilesBehind() throws IOException {
		given(this.lifecycle.create(any())).willThrow(new IllegalStateException("database down"));

		assertThatThrownBy(() -> this.uploads.upload(this.alice, request("picture.png", PNG, "webp", null, null)))
			.isInstanceOf(IllegalStateException.class);

		ArgumentCaptor<Task> created = ArgumentCaptor.forClass(Task.class);
		verify(this.lifecycle).create(created.capture());
		assertThat(this.storage.taskFolder(created.getValue())).doesNotExist();
		assertThat(filesUnder(this.root)).isZero();
	}

	@Test
	void anAccountAtALimitGetsItsProblemAndLeavesNoFilesBehind() throws IOException {
		given(this.lifecycle.create(any())).willThrow(new UsageLimitException(UsageLimitException.Limit.ACTIVE_TASKS, 10,
				10, 0, java.time.Duration.ofSeconds(30)));

		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
				() -> this.uploads.upload(this.alice, request("picture.png", PNG, "webp", null, null)));

		assertThat(problem.getStatusCode().value()).isEqualTo(429);
		assertThat(problem.getBody().getType().toString()).isEqualTo("urn:cct:problem:too-many-active-tasks");
		assertThat(problem.getHeaders().getFirst("Retry-After")).isEqualTo("30");
		assertThat(filesUnder(this.root)).isZero();
	}

	@Test
	void contentThatIsNotWhatTheNameClaimsIsRefusedBeforeAnythingIsStored() throws IOException {
		byte[] text = "not a song".getBytes(StandardCharsets.UTF_8);

		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
				() -> this.uploads.upload(this.alice, request("song.mp3", text, "ogg", null, null)));

		assertThat(problem.getStatusCode().value()).isEqualTo(415);
		assertThat(filesUnder(this.root)).isZero();
		verifyNoInteractions(this.lifecycle);
	}

	@Test
	void aTokenOfAnAccountThatNoLongerExistsIsUnauthorizedAndStoresNothing() throws IOException {
		AuthenticatedUser gone = new AuthenticatedUser(UUID.randomUUID(), "gone");

		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
				() -> this.uploads.upload(gone, request("picture.png", PNG, "webp", null, null)));

		assertThat(problem.getStatusCode().value()).isEqualTo(401);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:unauthorized");
		assertThat(filesUnder(this.root)).isZero();
		verify(this.lifecycle, never()).create(any());
	}

	@Test
	void aRawBodyIsTheFileWithItsFieldsInTheQuery() throws IOException {
		MockHttpServletRequest raw = new MockHttpServletRequest("POST", "/api/tasks");
		raw.setQueryString("newFormat=webp&fileName=my+picture%20%C3%A9.png&notify=false");
		raw.setContentType("application/octet-stream");
		raw.setContent(PNG);

		Task task = this.uploads.upload(this.alice, raw).task();

		assertThat(task.fileName()).isEqualTo("my picture é.png");
		assertThat(task.target()).isEqualTo(Format.WEBP);
		assertThat(task.notifyOwner()).isFalse();
		assertThat(Files.readAllBytes(this.storage.original(task))).isEqualTo(PNG);
	}

	@Test
	void aRawBodyWithoutAFileNameIsMissingFile() throws IOException {
		MockHttpServletRequest raw = new MockHttpServletRequest("POST", "/api/tasks");
		raw.setQueryString("newFormat=webp");
		raw.setContent(PNG);

		assertProblem(() -> this.uploads.upload(this.alice, raw), 400, "missing-file");
		assertThat(filesUnder(this.root)).isZero();
	}

	@Test
	void fieldsSentAfterTheFileCountAsWell() throws IOException {
		MockHttpServletRequest request = request("picture.png", PNG, "webp", null, null);
		String body = new String(request.getContentAsByteArray(), StandardCharsets.ISO_8859_1);
		// move the fields behind the file, as a page that appends the file first sends them
		int file = body.indexOf("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"");
		String fields = body.substring(0, file);
		String rest = body.substring(file, body.length() - ("--" + BOUNDARY + "--\r\n").length());
		request.setContent((rest + fields + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));

		Task task = this.uploads.upload(this.alice, request).task();

		assertThat(task.target()).isEqualTo(Format.WEBP);
		assertThat(Files.readAllBytes(this.storage.original(task))).isEqualTo(PNG);
	}

	@Test
	void aMismatchFoundAfterTheFileLeavesNothingBehind() throws IOException {
		byte[] text = "just some text".getBytes(StandardCharsets.UTF_8);
		MockHttpServletRequest request = request("song.mp3", text, "ogg", null, null);
		String body = new String(request.getContentAsByteArray(), StandardCharsets.ISO_8859_1);
		int file = body.indexOf("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"");
		String rest = body.substring(file, body.length() - ("--" + BOUNDARY + "--\r\n").length());
		request.setContent((rest + body.substring(0, file) + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));

		assertProblem(() -> this.uploads.upload(this.alice, request), 415, "content-mismatch");
		assertThat(filesUnder(this.root)).isZero();
		verify(this.lifecycle, never()).create(any());
	}

	@Test
	void aTruncatedBodyIsUnreadableAndLeavesNothingBehind() throws IOException {
		MockHttpServletRequest request = request("picture.png", concat(PNG, new byte[200_000]), "webp", null, null);
		byte[] body = request.getContentAsByteArray();
		request.setContent(java.util.Arrays.copyOf(body, body.length - 20));

		assertThatThrownBy(() -> this.uploads.upload(this.alice, request)).isInstanceOf(MultipartException.class);
		assertThat(filesUnder(this.root)).isZero();
		verify(this.lifecycle, never()).create(any());
	}

	@Test
	void aFileOverTheLimitIsTooLargeAndLeavesNothingBehind() throws IOException {
		MockHttpServletRequest atLimit = request("picture.png", concat(PNG, new byte[(1 << 20) - PNG.length]), "webp",
				null, null);
		MockHttpServletRequest over = request("picture.png", concat(PNG, new byte[(1 << 20) - PNG.length + 1]), "webp",
				null, null);

		assertThat(this.uploads.upload(this.alice, atLimit).task().sizeBytes()).isEqualTo(1 << 20);
		assertProblem(() -> this.uploads.upload(this.alice, over), 413, "too-large");
		assertThat(filesUnder(this.root)).isEqualTo(1);
	}

	@Test
	void anEmptyFileIsRefused() throws IOException {
		assertProblem(() -> this.uploads.upload(this.alice, request("picture.png", new byte[0], "webp", null, null)),
				400, "empty-file");
		assertThat(filesUnder(this.root)).isZero();
	}

	@Nested
	class Batches {

		@BeforeEach
		void sharedTasksAreCreatedAsGiven() {
			given(lifecycle.createShared(any(), any(), any(), anyBoolean())).willAnswer(call -> call.getArgument(0));
		}

		@Test
		void oneUploadToThreeTargetsIsThreeTasksEachWithItsOwnLinkToTheOneOriginal() throws IOException {
			TaskUploads.Outcome outcome = uploads.upload(alice, request("picture.png", PNG, "webp,jpg,gif", null, "key-b"));

			assertThat(outcome.batch()).isTrue();
			List<Task> batch = outcome.tasks();
			assertThat(batch).extracting(Task::target).containsExactly(Format.WEBP, Format.JPG, Format.GIF);
			assertThat(batch).extracting(Task::source).containsOnly(Format.PNG);
			assertThat(batch).extracting(Task::originalFile).doesNotHaveDuplicates().allMatch(FileStorage::isStoredName);
			assertThat(batch).extracting(Task::idempotencyKey).containsExactly("key-b", null, null);
			assertThat(batch).extracting(Task::createdAt).isSorted().doesNotHaveDuplicates();
			for (Task task : batch) {
				assertThat(Files.readAllBytes(storage.original(task))).isEqualTo(PNG);
				assertThat(Files.getAttribute(storage.original(task), "unix:nlink")).isEqualTo(3);
			}
			verify(lifecycle).createShared(batch, null, batch.get(0).id(), true);
			verify(lifecycle, never()).create(any());
		}

		@Test
		void aBatchAtALimitIsRefusedWholeAndLeavesNoFilesBehind() throws IOException {
			given(lifecycle.createShared(any(), any(), any(), anyBoolean())).willThrow(new UsageLimitException(
					UsageLimitException.Limit.ACTIVE_TASKS, 1, 2, 0, java.time.Duration.ofSeconds(30)));

			assertProblem(() -> uploads.upload(alice, request("picture.png", PNG, "webp,jpg", null, null)), 429,
					"too-many-active-tasks");
			assertThat(filesUnder(root)).isZero();
		}

		@Test
		void oneTargetTheContentCannotBecomeRefusesTheBatchBeforeAnythingIsStored() throws IOException {
			assertProblem(() -> uploads.upload(alice, request("picture.png", PNG, "webp,mp3", null, null)), 400,
					"unsupported-conversion");
			assertThat(filesUnder(root)).isZero();
			verifyNoInteractions(lifecycle);
		}

		@Test
		void aReplayedKeyAnswersWithTheWholeBatch() {
			Task first = TaskFixtures.uploaded(alice.id(), "picture.png", Format.PNG, Format.WEBP);
			Task second = TaskFixtures.uploaded(alice.id(), "picture.png", Format.PNG, Format.JPG);
			given(tasks.findByUserIdAndIdempotencyKey(alice.id(), "key-r")).willReturn(Optional.of(first));
			given(tasks.findBatch(first.id(), alice.id())).willReturn(List.of(first, second));

			TaskUploads.Outcome outcome = uploads.upload(alice, withKeyOnly("key-r"));

			assertThat(outcome.replayed()).isTrue();
			assertThat(outcome.tasks()).containsExactly(first, second);
		}

	}

	@Nested
	class Convert {

		private Task uploaded;

		@BeforeEach
		void anUploadedPicture() throws IOException {
			this.uploaded = TaskFixtures.uploaded(alice.id(), "picture.png", Format.PNG, Format.WEBP);
			storage.createFolder(this.uploaded);
			Files.write(storage.original(this.uploaded), PNG);
			given(tasks.findByIdAndUserId(this.uploaded.id(), alice.id())).willReturn(Optional.of(this.uploaded));
			given(tasks.findOriginalOf(this.uploaded.id())).willReturn(this.uploaded.id());
			given(lifecycle.createShared(any(), any(), any(), anyBoolean())).willAnswer(call -> call.<List<Task>>getArgument(0));
		}

		@Test
		void aNewTaskLinksTheSameOriginalAndIsNoUpload() throws IOException {
			Task task = uploads.convert(alice, this.uploaded.id(), "jpg", "low", null);

			assertThat(task.id()).isNotEqualTo(this.uploaded.id());
			assertThat(task.target()).isEqualTo(Format.JPG);
			assertThat(task.source()).isEqualTo(Format.PNG);
			assertThat(task.sizeBytes()).isEqualTo(this.uploaded.sizeBytes());
			assertThat(Files.isSameFile(storage.original(task), storage.original(this.uploaded))).isTrue();
			verify(lifecycle).createShared(List.of(task), this.uploaded.id(), null, false);
		}

		@Test
		void anotherUsersTaskIsNotFound() {
			AuthenticatedUser bob = new AuthenticatedUser(UUID.randomUUID(), "bob");
			ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
					() -> uploads.convert(bob, this.uploaded.id(), "jpg", null, null));
			assertThat(problem.getStatusCode().value()).isEqualTo(404);
		}

		@Test
		void anImpossiblePairOrSeveralTargetsAre400AndAGoneOriginal409() throws IOException {
			assertThat(catchThrowableOfType(ErrorResponseException.class,
					() -> uploads.convert(alice, this.uploaded.id(), "mp3", null, null))
				.getBody().getType()).hasToString("urn:cct:problem:unsupported-conversion");
			assertThat(catchThrowableOfType(ErrorResponseException.class,
					() -> uploads.convert(alice, this.uploaded.id(), "jpg,gif", null, null))
				.getBody().getType()).hasToString("urn:cct:problem:one-target");
			Files.delete(storage.original(this.uploaded));
			ErrorResponseException gone = catchThrowableOfType(ErrorResponseException.class,
					() -> uploads.convert(alice, this.uploaded.id(), "jpg", null, null));
			assertThat(gone.getStatusCode().value()).isEqualTo(409);
			assertThat(gone.getBody().getType()).hasToString("urn:cct:problem:original-gone");
			verifyNoInteractions(lifecycle);
		}

	}

	private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status,
			String slug) {
		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class, call);
		assertThat(problem).as("a %s problem", slug).isNotNull();
		assertThat(problem.getStatusCode().value()).isEqualTo(status);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:" + slug);
		assertThat(problem.getHeaders().getConnection()).as("the body may be unread: the answer closes").contains("close");
	}

	private static MockHttpServletRequest withKeyOnly(String key) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/tasks");
		request.addHeader("Idempotency-Key", key);
		return request;
	}

	/** A multipart upload as a client sends it: the fields, then the file. */
	static MockHttpServletRequest request(String name, byte[] content, String target, Boolean notify, String key) {
		StringBuilder fields = new StringBuilder();
		field(fields, "newFormat", target);
		if (notify != null) {
			field(fields, "notify", notify.toString());
		}
		byte[] head = (fields + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\""
				+ name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/tasks");
		request.setContentType("multipart/form-data; boundary=" + BOUNDARY);
		request.setContent(concat(head, content, tail));
		if (key != null) {
			request.addHeader("Idempotency-Key", key);
		}
		return request;
	}

	static final String BOUNDARY = "----cctuploads";

	private static void field(StringBuilder body, String name, String value) {
		body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"").append(name)
			.append("\"\r\n\r\n").append(value).append("\r\n");
	}

	static byte[] concat(byte[]... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static long filesUnder(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			return paths.filter(Files::isRegularFile).count();
		}
	}

}
