package com.cct.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
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
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.task.LimitProblems;
import com.cct.task.Task;
import com.cct.task.TaskLifecycle;
import com.cct.task.TaskRepository;
import com.cct.task.UsageLimitException;
import com.cct.user.User;
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

	/**
	 * Starts as {@link FileStorage}'s temporary names do, so the worker's clean-up takes these too;
	 * the web's UploadSpoolSweeper deletes those a crashed process left behind.
	 */
	static final String UPLOAD_TEMP_PREFIX = ".part-upload-";

	/** Room for a multipart body's fields and part headers beside a file at the limit. */
	private static final long MAX_FORM_OVERHEAD = 64 * 1024;

	private final TaskRepository tasks;

	private final UserRepository users;

	private final FileStorage storage;

	private final UploadValidator validator;

	private final ContentInspector inspector;

	private final TaskLifecycle lifecycle;

	private final Clock clock;

	TaskUploads(TaskRepository tasks, UserRepository users, FileStorage storage, UploadValidator validator,
			ContentInspector inspector, TaskLifecycle lifecycle, Clock clock) {
		this.tasks = tasks;
		this.users = users;
		this.storage = storage;
		this.validator = validator;
		this.inspector = inspector;
		this.lifecycle = lifecycle;
		this.clock = clock;
	}

	/** The stored task, and whether it already existed under the request's idempotency key. */
	public record Outcome(Task task, boolean replayed) {
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
			Optional<Task> earlier = this.tasks.findByUserIdAndIdempotencyKey(user.id(), key);
			if (earlier.isPresent()) {
				return new Outcome(earlier.get(), true);
			}
		}
		if (request.getContentLengthLong() > this.validator.maxSize() + MAX_FORM_OVERHEAD) {
			// refused before a byte is read; the upload guard closes the connection
			throw UploadValidator.tooLarge();
		}
		// a validly signed token of an account that no longer exists owns nothing
		User owner = this.users.findById(user.id())
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					"The account of this token does not exist."));
		UUID id = UUID.randomUUID();
		Received received;
		try {
			received = receive(user.id(), id, UploadBody.of(request, MAX_PART_HEADER_BYTES));
		}
		catch (IOException ex) {
			// the client went away, or the upload guard cut a slow body (it answers 408 itself)
			throw new MultipartException("The upload could not be read.", ex);
		}
		ValidatedUpload upload = received.upload();
		boolean notify = upload.notifyOwner() != null ? upload.notifyOwner() : owner.notifyOwner();
		Task task = Task.uploaded(id, user.id(), upload.displayName(), received.source().orElse(null),
				upload.target(), upload.quality(), received.size(), received.originalFile(),
				FileStorage.newStoredName(upload.target().extension()), notify, key, this.clock.instant());
		try {
			return new Outcome(this.lifecycle.create(task), false);
		}
		catch (DuplicateKeyException ex) {
			// the same key raced in from a parallel retry: that one won, ours is dropped
			this.storage.deleteTaskFolder(task);
			return new Outcome(this.tasks.findByUserIdAndIdempotencyKey(user.id(), key).orElseThrow(() -> ex), true);
		}
		catch (UsageLimitException ex) {
			this.storage.deleteTaskFolder(task);
			throw LimitProblems.of(ex, false);
		}
		catch (RuntimeException ex) {
			this.storage.deleteTaskFolder(task);
			throw ex;
		}
	}

	/** A stored original that passed every check. */
	private record Received(ValidatedUpload upload, Optional<Format> source, String originalFile, long size) {
	}

	private Received receive(UUID userId, UUID taskId, UploadBody body) throws IOException {
		UploadRequest before = body.openFile();
		if (before.fileName() == null) {
			this.validator.validate(body.finish());
			throw new IllegalStateException("a request without a file passed validation");
		}
		// the usual order, fields before the file, lets every check run before a byte is stored
		ValidatedUpload early = before.newFormat() != null ? this.validator.validate(before) : null;
		InputStream content = new SizeLimitedInputStream(body.file(), this.validator.maxSize());
		byte[] head = content.readNBytes(HEAD_BYTES);
		if (head.length == 0) {
			if (early == null) {
				this.validator.validate(body.finish());
			}
			throw UploadValidator.empty();
		}
		Optional<Format> source = early != null ? this.validator.sourceOf(early, detect(head)) : null;
		String originalFile = FileStorage.newStoredName(UploadValidator.storedExtension(before.fileName()));
		long size = storeOriginal(userId, taskId, originalFile, new HeadThenRest(head, content));
		try {
			ValidatedUpload upload = this.validator.validate(body.finish());
			if (source == null) {
				source = this.validator.sourceOf(upload, detect(head));
			}
			return new Received(upload, source, originalFile, size);
		}
		catch (IOException | RuntimeException ex) {
			discardOriginal(userId, taskId);
			throw ex;
		}
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
	 * Writes an upload's bytes to its task folder: into a temporary file, published under its final
	 * name once complete, so no reader ever sees half an original. The one place uploads are written;
	 * on any failure nothing is left behind. Returns the size.
	 */
	long storeOriginal(UUID userId, UUID taskId, String originalFile, InputStream content) throws IOException {
		if (!FileStorage.isStoredName(originalFile)) {
			throw new IllegalArgumentException("not a stored name: " + originalFile);
		}
		Path folder = Files.createDirectories(this.storage.taskFolder(userId, taskId));
		Path temp = folder.resolve(UPLOAD_TEMP_PREFIX + FileStorage.newStoredName("tmp"));
		long size;
		try {
			try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
				// the reader's streams write their buffer's slices (64 KB) straight to the file
				size = content.transferTo(out);
			}
			this.storage.publish(temp, folder.resolve(originalFile));
			return size;
		}
		catch (IOException | RuntimeException ex) {
			discardOriginal(userId, taskId);
			throw ex;
		}
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
	 * {@code complete} is a temporary file in the task's folder; it is published as the original and
	 * the task goes through the same checks and the same lifecycle as a one-request upload. On any
	 * refusal the task folder is deleted.
	 */
	public Task createFromStored(UUID userId, UUID taskId, Fields fields, Path complete) {
		try {
			User owner = this.users.findById(userId)
				.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
						"The account of this token does not exist."));
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
			this.storage.publish(complete, this.storage.taskFolder(userId, taskId).resolve(originalFile));
			boolean notify = upload.notifyOwner() != null ? upload.notifyOwner() : owner.notifyOwner();
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

	/** Deletes an upload's task folder, and its owner's folder when that is left empty. */
	void discardOriginal(UUID userId, UUID taskId) {
		try {
			FileSystemUtils.deleteRecursively(this.storage.taskFolder(userId, taskId));
			Path userFolder = this.storage.taskFolder(userId, taskId).getParent();
			try (Stream<Path> left = Files.list(userFolder)) {
				if (left.findAny().isEmpty()) {
					Files.deleteIfExists(userFolder);
				}
			}
		}
		catch (IOException ex) {
			// another upload of the same user may have just created a folder there: keep it
		}
	}

}
