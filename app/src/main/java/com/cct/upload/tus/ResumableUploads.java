package com.cct.upload.tus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

import com.cct.task.LimitProblems;
import com.cct.task.Task;
import com.cct.task.TaskRepository;
import com.cct.task.TaskUsage;
import com.cct.task.Usage;
import com.cct.task.UsageLimitException;
import com.cct.task.UsageLimitException.Limit;
import com.cct.task.UserLimits;
import com.cct.upload.TaskUploads;
import com.cct.web.Problems;

/**
 * The tus protocol's steps, over the upload rows ({@link TusUploadStore}) and the partial files
 * ({@link PartialUploads}). Creation checks the fields and the account's limits at once, so a client
 * learns early; the first {@value #HEAD_BYTES} bytes (or the whole file, when smaller) are checked
 * against the name and target as soon as they are there; the last byte makes the task, through
 * {@link TaskUploads#createFromStored} (the same checks and lifecycle, the limits again), under the
 * upload's id. Until then {@code GET /api/tasks/{id}} is 404; HEAD on the upload answers its offset.
 */
@Service
class ResumableUploads {

	private static final Logger log = LoggerFactory.getLogger(ResumableUploads.class);

	/** As much as the one-request upload's content check reads. */
	static final int HEAD_BYTES = 64 * 1024;

	private final TusUploadStore store;

	private final PartialUploads partials;

	private final TaskUploads uploads;

	private final TaskUsage usage;

	private final TaskRepository tasks;

	private final TransactionTemplate transactions;

	private final TusSettings settings;

	private final Clock clock;

	ResumableUploads(TusUploadStore store, PartialUploads partials, TaskUploads uploads, TaskUsage usage,
			TaskRepository tasks, TransactionTemplate transactions, TusSettings settings, Clock clock) {
		this.store = store;
		this.partials = partials;
		this.uploads = uploads;
		this.usage = usage;
		this.tasks = tasks;
		this.transactions = transactions;
		this.settings = settings;
		this.clock = clock;
	}

	/** Where an upload stands: its offset and length (equal once it became a task), and when it expires. */
	record State(long offset, long length, String metadata, Instant expiresAt, Task task) {
	}

	TusUpload create(UUID userId, long length, String metadata) {
		if (length > this.uploads.maxSize()) {
			throw Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Upload too large",
					"Upload-Length is larger than this service accepts (" + this.uploads.maxSize() + " bytes).");
		}
		if (length == 0) {
			throw Problems.badRequest("empty-file", "Empty file", "Upload-Length is 0: there is nothing to convert.");
		}
		TaskUploads.Fields fields = UploadMetadata.parse(metadata);
		this.uploads.checkFields(fields);
		checkLimits(userId, length);
		Instant now = this.clock.instant();
		TusUpload upload = new TusUpload(UUID.randomUUID(), userId, length, 0, metadata, fields, false,
				now.plus(this.settings.expiry()));
		try {
			this.partials.create(userId, upload.id());
			this.store.insert(upload, now);
		}
		catch (IOException | RuntimeException ex) {
			discard(userId, upload.id());
			throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) ex;
		}
		return upload;
	}

	/**
	 * The limits a new upload must pass, as {@code TaskUsage} admits a task, with the uploads still in
	 * progress counted as unfinished tasks and their lengths as stored bytes. Without the lock the task
	 * admission takes: the final word is the admission at the last byte.
	 */
	private void checkLimits(UUID userId, long length) {
		Usage used = this.usage.of(userId);
		UserLimits limits = this.usage.limits();
		long[] pending = this.store.pendingCountAndBytes(userId);
		long active = used.activeTasks() + pending[0];
		if (active >= limits.activeTasks()) {
			throw LimitProblems.of(
					new UsageLimitException(Limit.ACTIVE_TASKS, active, limits.activeTasks(), 0, Duration.ofSeconds(30)),
					false);
		}
		if (used.uploadsLastHour() >= limits.uploadsPerHour()) {
			Instant now = this.clock.instant();
			Instant free = used.oldestUploadInWindow() == null ? now
					: used.oldestUploadInWindow().plus(TaskUsage.UPLOAD_WINDOW);
			Duration wait = Duration.between(now, free);
			throw LimitProblems.of(new UsageLimitException(Limit.UPLOADS_PER_HOUR, used.uploadsLastHour(),
					limits.uploadsPerHour(), 0, wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait),
					false);
		}
		long stored = used.storedBytes() + pending[1];
		long quota = limits.storageQuota().toBytes();
		if (stored + length > quota) {
			throw LimitProblems.of(new UsageLimitException(Limit.STORAGE_QUOTA, stored, quota, length, null), false);
		}
	}

	/** The owner's upload in progress, or the task it became; another user's is not found. */
	State state(UUID userId, UUID id) {
		Optional<TusUpload> upload = this.store.find(id, userId, this.clock.instant());
		if (upload.isPresent()) {
			TusUpload u = upload.get();
			return new State(u.offset(), u.length(), u.metadata(), u.expiresAt(), null);
		}
		Task task = this.tasks.findByIdAndUserId(id, userId).orElseThrow(ResumableUploads::notFound);
		return new State(task.sizeBytes(), task.sizeBytes(), null, null, task);
	}

	/** What a PATCH did: the new offset, and the task when this PATCH brought the last byte. */
	record Patched(long offset, Instant expiresAt, Task task) {
	}

	/** What happened under the lock, to act on once it is released. */
	private record Written(TusUpload upload, long offset, Instant expiresAt, RuntimeException refusal,
			IOException cut) {
	}

	Patched patch(UUID userId, UUID id, long offset, long contentLength, InputStream body) {
		Written written = this.transactions.execute(tx -> write(userId, id, offset, contentLength, body));
		if (written.refusal() != null) {
			throw written.refusal();
		}
		if (written.cut() != null && written.offset() < written.upload().length()) {
			// what arrived is kept; the client asks HEAD for the offset and goes on from there
			throw new UncheckedIOException(written.cut());
		}
		TusUpload upload = written.upload();
		if (written.offset() < upload.length()) {
			return new Patched(written.offset(), written.expiresAt(), null);
		}
		// the row is gone: this request alone makes the task
		Task task;
		try {
			task = this.uploads.createFromStored(userId, id, upload.fields(), this.partials.path(userId, id));
		}
		finally {
			this.partials.delete(userId, id);
		}
		return new Patched(written.offset(), null, task);
	}

	private Written write(UUID userId, UUID id, long offset, long contentLength, InputStream body) {
		Instant now = this.clock.instant();
		TusUpload upload = this.store.lock(id, userId, now).orElseThrow(ResumableUploads::notFound);
		if (offset != upload.offset()) {
			throw Problems.conflict("offset-mismatch", "Upload-Offset mismatch", "Upload-Offset is " + offset
					+ " but the upload has " + upload.offset() + " bytes: ask HEAD and resume from there.");
		}
		long room = upload.length() - upload.offset();
		if (contentLength > room) {
			throw beyondLength(upload);
		}
		PartialUploads.Appended appended;
		try {
			appended = this.partials.append(userId, id, upload.offset(), body, room);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (appended.overflow()) {
			// rolled back: the offset stays, the next PATCH cuts the extra bytes off
			throw beyondLength(upload);
		}
		long reached = upload.offset() + appended.written();
		boolean headChecked = upload.headChecked();
		if (!headChecked && (reached >= HEAD_BYTES || reached == upload.length())) {
			try {
				this.uploads.checkHead(upload.fields(), this.partials.head(userId, id, HEAD_BYTES));
				headChecked = true;
			}
			catch (ErrorResponseException refused) {
				// a file that is not what it claims is refused as soon as its first bytes show it
				this.store.delete(id);
				discard(userId, id);
				return new Written(upload, reached, null, refused, null);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		Instant expires = now.plus(this.settings.expiry());
		if (reached == upload.length()) {
			this.store.delete(id);
		}
		else {
			this.store.advance(id, reached, headChecked, expires);
		}
		if (appended.cut() != null) {
			log.debug("PATCH of upload {} cut after {} bytes: {}", id, appended.written(), appended.cut().toString());
		}
		return new Written(upload, reached, expires, null, appended.cut());
	}

	/** Termination: the upload and its bytes are deleted. */
	void terminate(UUID userId, UUID id) {
		this.transactions.executeWithoutResult(tx -> {
			this.store.lock(id, userId, this.clock.instant()).orElseThrow(ResumableUploads::notFound);
			this.store.delete(id);
		});
		discard(userId, id);
	}

	/** Deletes expired uploads nobody is writing to, rows and bytes; returns how many. */
	int sweepExpired() {
		var expired = this.transactions.execute(tx -> this.store.deleteExpired(this.clock.instant()));
		for (UUID[] upload : expired) {
			discard(upload[1], upload[0]);
		}
		return expired.size();
	}

	private static RuntimeException beyondLength(TusUpload upload) {
		return Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "beyond-upload-length", "More bytes than Upload-Length",
				"The upload is " + upload.length() + " bytes long and has " + upload.offset()
						+ "; this PATCH sends more than the rest.");
	}

	static ErrorResponseException notFound() {
		return Problems.notFound("No such upload in progress, or not yours (or it expired).");
	}

	/** Deletes what an upload that never became a task stored: its partial file and anything of its id in storage. */
	private void discard(UUID userId, UUID id) {
		this.partials.delete(userId, id);
		this.uploads.discard(userId, id);
	}

}
