package com.cct.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.multipart.MultipartException;

import com.cct.auth.AuthenticatedUser;
import com.cct.format.ConversionMatrix;
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.task.LimitProblems;
import com.cct.storage.TaskFiles;
import com.cct.task.Task;
import com.cct.task.TaskLifecycle;
import com.cct.task.TaskRepository;
import com.cct.task.UsageLimitException;
import com.cct.user.UserRepository;
import com.cct.web.Problems;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The upload path, streamed: the fields are checked before the body is read, the file's first bytes
 * ({@value #HEAD_BYTES} at most) are checked against its name and target before anything is stored,
 * the rest is written once into the task folder ({@link #storeOriginal}), then the task goes to its
 * lifecycle, which admits it against the account's limits and commits the row before it enqueues.
 * A refused, cut or broken upload leaves no file and no task behind.
 */
@Service
public class TaskUploads {

	/** What the content check sees of a file: Tika's magic numbers fit in far less. */
	static final int HEAD_BYTES = 64 * 1024;

	/** As {@code server.tomcat.max-part-header-size} was: long (even multi-byte) file names fit. */
	static final int MAX_PART_HEADER_BYTES = 8 * 1024;

	/** Room for a multipart body's fields and part headers beside a file at the limit. */
	private static final long MAX_FORM_OVERHEAD = 64 * 1024;

	private final TaskRepository tasks;

	private final UserRepository users;

	private final TaskFiles storage;

	private final UploadValidator validator;

	private final ContentInspector inspector;

	private final TaskLifecycle lifecycle;

	private final Clock clock;

	TaskUploads(TaskRepository tasks, UserRepository users, TaskFiles storage, UploadValidator validator,
			ContentInspector inspector, TaskLifecycle lifecycle, Clock clock) {
		this.tasks = tasks;
		this.users = users;
		this.storage = storage;
		this.validator = validator;
		this.inspector = inspector;
		this.lifecycle = lifecycle;
		this.clock = clock;
	}

	/**
	 * The stored tasks (one, or a batch's in the order of its targets), and whether they already
	 * existed under the request's idempotency key.
	 */
	public record Outcome(List<Task> tasks, boolean replayed) {

		public Outcome(Task task, boolean replayed) {
			this(List.of(task), replayed);
		}

		/** The task of a single-target upload; a batch's first. */
		public Task task() {
			return this.tasks.get(0);
		}

		/** Whether the upload named several targets: answered as {@code {"tasks": [...]}}. */
		public boolean batch() {
			return this.tasks.size() > 1;
		}

	}

	/**
	 * Whether the account wants mail for tasks that do not say; a 401 when it no longer exists (a
	 * validly signed token of a deleted account owns nothing). One column, not the whole account.
	 */
	private boolean notifiedByDefault(UUID userId) {
		return this.users.findNotifyOwner(userId)
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					"The account of this token does not exist."));
	}

	/** {@code POST /api/tasks}: a multipart body, or the file itself with its fields in the query. */
	public Outcome upload(AuthenticatedUser user, HttpServletRequest request) {
		try {
			return receiveAndCreate(user, request);
		}
		catch (ErrorResponseException ex) {
			// A refusal may leave the rest of the body unread, and the upload guard then closes the
			// connection: say so in the answer, or a client would send its next request on a dead one.
			ex.getHeaders().set(HttpHeaders.CONNECTION, "close");
			throw ex;
		}
	}

	private Outcome receiveAndCreate(AuthenticatedUser user, HttpServletRequest request) {
		String key = this.validator.idempotencyKey(request.getHeader("Idempotency-Key"));
		if (key != null) {
			Optional<Outcome> earlier = earlier(user.id(), key);
			if (earlier.isPresent()) {
				return earlier.get();
			}
		}
		if (request.getContentLengthLong() > this.validator.maxSize() + MAX_FORM_OVERHEAD) {
			// refused before a byte is read; the upload guard closes the connection
			throw UploadValidator.tooLarge();
		}
		boolean ownerNotified = notifiedByDefault(user.id());
		UUID id = UUID.randomUUID();
		Received received;
		try {
			received = receive(user.id(), id, UploadBody.of(request, MAX_PART_HEADER_BYTES));
		}
		catch (IOException ex) {
			// the client went away, or the upload guard cut a slow body (it answers 408 itself)
			throw new MultipartException("The upload could not be read.", ex);
		}
		List<Task> tasks = new ArrayList<>();
		Instant now = this.clock.instant();
		for (int i = 0; i < received.uploads().size(); i++) {
			ValidatedUpload upload = received.uploads().get(i);
			boolean notify = upload.notifyOwner() != null ? upload.notifyOwner() : ownerNotified;
			// a batch's tasks a microsecond apart (PostgreSQL's resolution): lists keep the targets' order
			tasks.add(Task.uploaded(i == 0 ? id : UUID.randomUUID(), user.id(), upload.displayName(),
					received.sources().get(i).orElse(null), upload.target(), upload.quality(), received.size(),
					i == 0 ? received.originalFile() : FileStorage.newStoredName(extensionOf(received.originalFile())),
					FileStorage.newStoredName(upload.target().extension()), notify, i == 0 ? key : null,
					now.plus(i, ChronoUnit.MICROS)));
		}
		try {
			for (Task other : tasks.subList(1, tasks.size())) {
				this.storage.shareOriginal(tasks.get(0), other);
			}
			if (tasks.size() == 1) {
				return new Outcome(List.of(this.lifecycle.create(tasks.get(0))), false);
			}
			return new Outcome(this.lifecycle.createShared(tasks, null, id, true), false);
		}
		catch (DuplicateKeyException ex) {
			// the same key raced in from a parallel retry: that one won, ours is dropped
			tasks.forEach(this.storage::deleteTask);
			return earlier(user.id(), key).orElseThrow(() -> ex);
		}
		catch (UsageLimitException ex) {
			tasks.forEach(this.storage::deleteTask);
			throw LimitProblems.of(ex, false);
		}
		catch (IOException ex) {
			tasks.forEach(this.storage::deleteTask);
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			tasks.forEach(this.storage::deleteTask);
			throw ex;
		}
	}

	/**
	 * {@code POST /api/tasks/{id}/convert}: a new task converting the original of one of the user's
	 * tasks to another target, sharing its stored bytes (counted once against the quota, not an
	 * upload against the hourly limit, a new place under the active-task limit). The pair is judged
	 * by the source format the upload recorded from the bytes.
	 */
	public Task convert(AuthenticatedUser user, UUID taskId, String newFormat, String quality, Boolean notifyOwner) {
		Task from = this.tasks.findByIdAndUserId(taskId, user.id())
			.orElseThrow(() -> Problems.notFound("No such task."));
		if (newFormat != null && newFormat.contains(UploadValidator.TARGET_SEPARATOR)) {
			throw Problems.badRequest("one-target", "One target format",
					"'newFormat' names one target here; call /convert once per target.");
		}
		ValidatedUpload upload = this.validator
			.validate(new UploadRequest(from.fileName(), newFormat, quality, null));
		if (!ConversionMatrix.supports(Optional.ofNullable(from.source()), upload.target())) {
			throw UploadValidator.unsupported(from.originalFormatName(), upload.target());
		}
		if (this.storage.openOriginal(from).isEmpty()) {
			throw originalGone();
		}
		boolean ownerNotified = notifiedByDefault(user.id());
		Task task = Task.uploaded(UUID.randomUUID(), user.id(), from.fileName(), from.source(), upload.target(),
				upload.quality(), from.sizeBytes(), FileStorage.newStoredName(extensionOf(from.originalFile())),
				FileStorage.newStoredName(upload.target().extension()),
				notifyOwner != null ? notifyOwner : ownerNotified, null, this.clock.instant());
		try {
			this.storage.shareOriginal(from, task);
			return this.lifecycle.createShared(List.of(task), this.tasks.findOriginalOf(from.id()), null, false).get(0);
		}
		catch (NoSuchFileException ex) {
			this.storage.deleteTask(task);
			throw originalGone();
		}
		catch (IOException ex) {
			this.storage.deleteTask(task);
			throw new UncheckedIOException(ex);
		}
		catch (UsageLimitException ex) {
			this.storage.deleteTask(task);
			throw LimitProblems.of(ex, false);
		}
		catch (RuntimeException ex) {
			this.storage.deleteTask(task);
			throw ex;
		}
	}

	/** What an earlier upload with this key stored: its task, or its whole batch. */
	private Optional<Outcome> earlier(UUID userId, String key) {
		return this.tasks.findByUserIdAndIdempotencyKey(userId, key).map(first -> {
			List<Task> batch = this.tasks.findBatch(first.id(), userId);
			return new Outcome(batch.isEmpty() ? List.of(first) : batch, true);
		});
	}

	private static RuntimeException originalGone() {
		return Problems.conflict("original-gone", "Original is gone",
				"This task's original file is no longer stored; upload the file again.");
	}

	private static String extensionOf(String storedName) {
		return storedName.substring(storedName.indexOf('.') + 1);
	}

	/** A stored original that passed every check, with each target's source format. */
	private record Received(List<ValidatedUpload> uploads, List<Optional<Format>> sources, String originalFile,
			long size) {
	}

	private Received receive(UUID userId, UUID taskId, UploadBody body) throws IOException {
		UploadRequest before = body.openFile();
		if (before.fileName() == null) {
			this.validator.validateAll(body.finish());
			throw new IllegalStateException("a request without a file passed validation");
		}
		// the usual order, fields before the file, lets every check run before a byte is stored
		List<ValidatedUpload> early = before.newFormat() != null ? this.validator.validateAll(before) : null;
		InputStream content = new SizeLimitedInputStream(body.file(), this.validator.maxSize());
		byte[] head = content.readNBytes(HEAD_BYTES);
		if (head.length == 0) {
			if (early == null) {
				this.validator.validateAll(body.finish());
			}
			throw UploadValidator.empty();
		}
		ContentInspector.Detected seen = null;
		if (early != null) {
			seen = detect(head);
			sourcesOf(early, seen);
		}
		String originalFile = FileStorage.newStoredName(UploadValidator.storedExtension(before.fileName()));
		long size = storeOriginal(userId, taskId, originalFile, new HeadThenRest(head, content));
		try {
			// fields after the file may add targets: every one is checked against the content
			List<ValidatedUpload> uploads = this.validator.validateAll(body.finish());
			return new Received(uploads, sourcesOf(uploads, seen != null ? seen : detect(head)), originalFile, size);
		}
		catch (IOException | RuntimeException ex) {
			discardOriginal(userId, taskId);
			throw ex;
		}
	}

	private List<Optional<Format>> sourcesOf(List<ValidatedUpload> uploads, ContentInspector.Detected seen) {
		return uploads.stream().map(upload -> this.validator.sourceOf(upload, seen)).toList();
	}

	private ContentInspector.Detected detect(byte[] head) {
		try {
			return this.inspector.inspect(new ByteArrayInputStream(head));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Stores an upload's bytes (the task folder or the bucket, see TaskFiles), published under its
	 * final name once complete, so no reader ever sees half an original. The one place uploads are
	 * written; on any failure nothing is left behind. Returns the size.
	 */
	long storeOriginal(UUID userId, UUID taskId, String originalFile, InputStream content) throws IOException {
		return this.storage.storeOriginal(userId, taskId, originalFile, content);
	}

	/** The fields of an upload that arrived apart from its bytes (a resumable upload's metadata). */
	public record Fields(String fileName, String newFormat, String quality, String notifyOwner) {

		UploadRequest request() {
			return new UploadRequest(this.fileName, this.newFormat, this.quality, this.notifyOwner);
		}

	}

	/** The largest file accepted ({@code CCT_MAX_UPLOAD_SIZE}). */
	public long maxSize() {
		return this.validator.maxSize();
	}

	/** Checks every field that needs no bytes, as the one-request upload does; throws its 4xx problems. */
	public void checkFields(Fields fields) {
		this.validator.validate(fields.request());
	}

	/** Checks a file's first bytes ({@value #HEAD_BYTES} at most) against its fields; a 415 when they do not fit. */
	public void checkHead(Fields fields, byte[] head) {
		this.validator.sourceOf(this.validator.validate(fields.request()), detect(head));
	}

	/**
	 * Creates the task of an upload whose bytes were stored apart (a completed resumable upload):
	 * {@code complete} is a local file holding the whole upload; it is stored as the original and
	 * the task goes through the same checks and the same lifecycle as a one-request upload. On any
	 * refusal the task folder is deleted.
	 */
	public Task createFromStored(UUID userId, UUID taskId, Fields fields, Path complete) {
		try {
			boolean ownerNotified = notifiedByDefault(userId);
			ValidatedUpload upload = this.validator.validate(fields.request());
			long size = Files.size(complete);
			byte[] head;
			try (InputStream in = Files.newInputStream(complete)) {
				head = in.readNBytes(HEAD_BYTES);
			}
			if (head.length == 0) {
				throw UploadValidator.empty();
			}
			Optional<Format> source = this.validator.sourceOf(upload, detect(head));
			String originalFile = FileStorage.newStoredName(upload.storedExtension());
			try (InputStream in = Files.newInputStream(complete)) {
				// through the storage (a copy into the folder or the bucket); the caller removes the partial file
				storeOriginal(userId, taskId, originalFile, in);
			}
			boolean notify = upload.notifyOwner() != null ? upload.notifyOwner() : ownerNotified;
			Task task = Task.uploaded(taskId, userId, upload.displayName(), source.orElse(null), upload.target(),
					upload.quality(), size, originalFile, FileStorage.newStoredName(upload.target().extension()), notify,
					null, this.clock.instant());
			return this.lifecycle.create(task);
		}
		catch (UsageLimitException ex) {
			discardOriginal(userId, taskId);
			throw LimitProblems.of(ex, false);
		}
		catch (IOException ex) {
			discardOriginal(userId, taskId);
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			discardOriginal(userId, taskId);
			throw ex;
		}
	}

	/** Deletes the task folder of an upload that never became a task (a terminated or expired resumable one). */
	public void discard(UUID userId, UUID taskId) {
		discardOriginal(userId, taskId);
	}

	/** Deletes what an upload stored. */
	void discardOriginal(UUID userId, UUID taskId) {
		this.storage.deleteTask(userId, taskId);
	}

}
