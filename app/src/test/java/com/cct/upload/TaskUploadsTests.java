package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
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
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

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
import com.cct.user.User;
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
		given(this.users.findById(this.alice.id()))
			.willReturn(Optional.of(new User(this.alice.id(), "alice", "alice@example.org", "hash", true, NOW)));
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
				new UploadRequest(null, null, null, null, " key-1 "));

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

	private static UploadRequest request(String name, byte[] content, String target, Boolean notify, String key) {
		return new UploadRequest(new MockMultipartFile("fileName", name, "application/octet-stream", content), target,
				null, notify, key);
	}

	private static long filesUnder(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			return paths.filter(Files::isRegularFile).count();
		}
	}

}
