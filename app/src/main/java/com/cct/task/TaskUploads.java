package com.cct.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;

import com.cct.auth.AuthenticatedUser;
import com.cct.format.ConversionMatrix;
import com.cct.format.Format;
import com.cct.format.Quality;
import com.cct.job.TaskJobs;
import com.cct.storage.FileStorage;
import com.cct.user.UserRepository;
import com.cct.web.Problems;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The upload path: validate the request, move the already-spooled file into its task folder, check
 * its bytes, commit the task row, then enqueue. The row is committed before the job exists (JobRunr
 * writes with its own connection), and a crash between the two is repaired by the reconciler.
 */
@Service
class TaskUploads {

	private static final Logger log = LoggerFactory.getLogger(TaskUploads.class);

	private static final int MAX_IDEMPOTENCY_KEY = 200;

	private final TaskRepository tasks;

	private final UserRepository users;

	private final JdbcAggregateTemplate jdbc;

	private final FileStorage storage;

	private final ContentInspector inspector;

	private final TaskJobs jobs;

	private final TaskTransitions transitions;

	private final MeterRegistry meters;

	private final Clock clock = Clock.systemUTC();

	TaskUploads(TaskRepository tasks, UserRepository users, JdbcAggregateTemplate jdbc, FileStorage storage,
			ContentInspector inspector, TaskJobs jobs, TaskTransitions transitions, MeterRegistry meters) {
		this.meters = meters;
		this.tasks = tasks;
		this.users = users;
		this.jdbc = jdbc;
		this.storage = storage;
		this.inspector = inspector;
		this.jobs = jobs;
		this.transitions = transitions;
	}

	/** The stored task, and whether it already existed under the request's idempotency key. */
	record Outcome(Task task, boolean replayed) {
	}

	Outcome upload(AuthenticatedUser user, UploadRequest request) {
		String key = idempotencyKey(request.idempotencyKey());
		if (key != null) {
			Optional<Task> earlier = this.tasks.findByUserIdAndIdempotencyKey(user.id(), key);
			if (earlier.isPresent()) {
				return new Outcome(earlier.get(), true);
			}
		}
		if (request.file() == null) {
			throw Problems.badRequest("missing-file", "Missing file",
					"Send the file as the multipart part 'fileName' (or 'file').");
		}
		if (request.newFormat() == null || request.newFormat().isBlank()) {
			throw Problems.badRequest("missing-format", "Missing target format",
					"Say which format you want in 'newFormat'. GET /api/formats lists them.");
		}
		Format target = Format.fromId(request.newFormat())
			.orElseThrow(() -> Problems.badRequest("unknown-format", "Unknown format",
					"'" + abbreviate(request.newFormat()) + "' is not a format this service writes. GET /api/formats lists them."));
		Quality quality = quality(request.quality(), target);
		if (request.file().isEmpty()) {
			throw Problems.badRequest("empty-file", "Empty file", "The uploaded file is empty.");
		}
		String displayName = FileNames.displayName(request.file().getOriginalFilename());
		Optional<Format> claimed = Format.claimedBy(displayName);
		String rawExtension = FileNames.rawExtension(displayName);
		UploadPolicy.checkPair(claimed, target);

		ContentInspector.Detected detected = detect(request);
		String sourceFormat = UploadPolicy.sourceFormat(claimed, detected, target, rawExtension);

		// a validly signed token of an account that no longer exists owns nothing
		com.cct.user.User owner = this.users.findById(user.id())
			.orElseThrow(() -> Problems.problem(org.springframework.http.HttpStatus.UNAUTHORIZED, "unauthorized",
					"Unauthorized", "The account of this token does not exist."));
		boolean notify = request.notifyOwner() != null ? request.notifyOwner() : owner.notifyOwner();
		UUID id = UUID.randomUUID();
		String originalExtension = claimed.map(Format::extension).orElse(rawExtension);
		Task task = new Task(id, user.id(), displayName, sourceFormat, target.id(),
				quality == null ? null : quality.id(), TaskStatus.UPLOADED, 0, request.file().getSize(), null,
				FileStorage.newStoredName(originalExtension), FileStorage.newStoredName(target.extension()), null, notify,
				key, this.clock.instant(), null, null);
		store(request, task);
		try {
			task = this.jdbc.insert(task);
		}
		catch (DuplicateKeyException ex) {
			// the same key raced in from a parallel retry: that one won, ours is dropped
			this.storage.deleteTaskFolder(task);
			return new Outcome(this.tasks.findByUserIdAndIdempotencyKey(user.id(), key).orElseThrow(() -> ex), true);
		}
		catch (RuntimeException ex) {
			this.storage.deleteTaskFolder(task);
			throw ex;
		}
		this.transitions.created(task);
		this.meters.counter("cct.uploads", "to", target.id()).increment();
		try {
			this.jobs.enqueueConversion(task.id());
		}
		catch (RuntimeException ex) {
			log.warn("Task {} stored but not enqueued yet; the reconciler will enqueue it: {}", task.id(),
					ex.getMessage());
		}
		return new Outcome(task, false);
	}

	private ContentInspector.Detected detect(UploadRequest request) {
		try (InputStream in = request.file().getInputStream()) {
			return this.inspector.inspect(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void store(UploadRequest request, Task task) {
		Path target = this.storage.original(task);
		try {
			this.storage.createFolder(task);
			// Tomcat spooled the part to disk already; transferTo(File) lets it rename that file into
			// place (same file system), where transferTo(Path) would copy every byte again
			request.file().transferTo(target.toFile());
			if (!Files.isRegularFile(target)) {
				throw new IOException("upload not stored");
			}
		}
		catch (IOException ex) {
			this.storage.deleteTaskFolder(task);
			throw new UncheckedIOException(ex);
		}
	}

	private static Quality quality(String value, Format target) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Quality quality = Quality.fromId(value)
			.orElseThrow(() -> Problems.badRequest("unknown-quality", "Unknown quality",
					"'quality' must be high, medium or low."));
		if (!ConversionMatrix.acceptsQuality(target)) {
			throw Problems.badRequest("quality-not-applicable", "Quality does not apply",
					"'quality' applies to video, audio and image targets, not to archives.");
		}
		return quality;
	}

	private static String idempotencyKey(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String key = value.strip();
		if (key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
			throw Problems.badRequest("invalid-idempotency-key", "Invalid Idempotency-Key",
					"An Idempotency-Key is 1 to 200 visible ASCII characters.");
		}
		return key;
	}

	private static String abbreviate(String text) {
		String clean = text.replaceAll("\\p{Cntrl}", "");
		return clean.length() <= 20 ? clean : clean.substring(0, 20) + "...";
	}

}
