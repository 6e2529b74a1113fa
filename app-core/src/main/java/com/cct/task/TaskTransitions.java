package com.cct.task;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.cct.status.TaskEvent;
import com.cct.status.TaskStatusCache;

/**
 * Moves a task between states: the guarded update in PostgreSQL first, then the fresh row to Redis
 * and the task's event channel. Each method returns the task as it is now when the transition
 * happened, and empty when the task was not in a state that allows it.
 */
@Component
public class TaskTransitions {

	/** Progress is written to PostgreSQL in steps this coarse; Redis gets every throttled tick. */
	private static final int DATABASE_PROGRESS_STEP = 10;

	private final TaskRepository tasks;

	private final TaskStatusCache cache;

	private final Clock clock;

	public TaskTransitions(TaskRepository tasks, TaskStatusCache cache) {
		this.tasks = tasks;
		this.cache = cache;
		this.clock = Clock.systemUTC();
	}

	public Optional<Task> toProcessing(UUID id) {
		return changed(id, this.tasks.markProcessing(id, now()));
	}

	public Optional<Task> toProcessed(UUID id, long processedSize) {
		return changed(id, this.tasks.markProcessed(id, processedSize, now()));
	}

	public Optional<Task> toFailed(UUID id, String reason) {
		return changed(id, this.tasks.markFailed(id, abbreviate(reason), now()));
	}

	public Optional<Task> toCancelled(UUID id) {
		return changed(id, this.tasks.markCancelled(id, now()));
	}

	public Optional<Task> toUploadedForRetry(UUID id) {
		return changed(id, this.tasks.markForRetry(id));
	}

	/** Back to the queue: a processing task whose job ended without telling it. */
	public Optional<Task> toRequeued(UUID id) {
		return changed(id, this.tasks.markRequeued(id));
	}

	/** Publishes progress; the caller throttles. */
	public void progress(Task running, int percent) {
		if (percent % DATABASE_PROGRESS_STEP == 0) {
			this.tasks.updateProgress(running.id(), percent);
		}
		this.cache.publish(TaskEvent.PROGRESS, running.withProgress(percent));
	}

	/** Announces a task that was just created. */
	public void created(Task task) {
		this.cache.publish(TaskEvent.STATUS, task);
	}

	private Optional<Task> changed(UUID id, int updated) {
		if (updated == 0) {
			return Optional.empty();
		}
		Optional<Task> now = this.tasks.findById(id);
		now.ifPresent(task -> this.cache.publish(TaskEvent.STATUS, task));
		return now;
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static String abbreviate(String reason) {
		String text = (reason == null || reason.isBlank()) ? "The conversion failed." : reason.strip();
		return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
	}

}
