package com.cct.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.cct.auth.AuthenticatedUser;
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.storage.TaskFiles;
import com.cct.task.Task;
import com.cct.task.TaskLifecycle;
import com.cct.task.LimitProblems;
import com.cct.task.TaskRepository;
import com.cct.task.UsageLimitException;
import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.web.Problems;

/**
 * The upload path: validate the request, move the already-spooled file into its task folder, check
 * its bytes, then hand the task to its lifecycle, which admits it against the account's limits and
 * commits the row before it enqueues.
 */
@Service
public class TaskUploads {

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

	/** The stored task, and whether it already existed under the request's idempotency key. */
	public record Outcome(Task task, boolean replayed) {
	}

	public Outcome upload(AuthenticatedUser user, UploadRequest request) {
		String key = this.validator.idempotencyKey(request);
		if (key != null) {
			Optional<Task> earlier = this.tasks.findByUserIdAndIdempotencyKey(user.id(), key);
			if (earlier.isPresent()) {
				return new Outcome(earlier.get(), true);
			}
		}
		ValidatedUpload upload = this.validator.validate(request);
		Optional<Format> source = this.validator.sourceOf(upload, detect(upload));

		// a validly signed token of an account that no longer exists owns nothing
		User owner = this.users.findById(user.id())
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					"The account of this token does not exist."));
		boolean notify = upload.notifyOwner() != null ? upload.notifyOwner() : owner.notifyOwner();
		Task task = Task.uploaded(UUID.randomUUID(), user.id(), upload.displayName(), source.orElse(null),
				upload.target(), upload.quality(), upload.file().getSize(),
				FileStorage.newStoredName(upload.storedExtension()),
				FileStorage.newStoredName(upload.target().extension()), notify, key, this.clock.instant());
		store(upload, task);
		try {
			return new Outcome(this.lifecycle.create(task), false);
		}
		catch (DuplicateKeyException ex) {
			// the same key raced in from a parallel retry: that one won, ours is dropped
			this.storage.deleteTask(task);
			return new Outcome(this.tasks.findByUserIdAndIdempotencyKey(user.id(), key).orElseThrow(() -> ex), true);
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

	private ContentInspector.Detected detect(ValidatedUpload upload) {
		try (InputStream in = upload.file().getInputStream()) {
			return this.inspector.inspect(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void store(ValidatedUpload upload, Task task) {
		try (InputStream content = upload.file().getInputStream()) {
			this.storage.storeOriginal(task, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
