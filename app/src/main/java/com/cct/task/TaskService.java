package com.cct.task;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import com.cct.web.Problems;

/**
 * Reads and commands on existing tasks, for their owner. Reads try the Redis snapshot first (fresh
 * progress, no database round trip) and fall back to PostgreSQL; a task of another user is "not
 * found". Commands go to the task's lifecycle; a refused one is a 409 that says why.
 */
@Service
public class TaskService {

	private final TaskRepository tasks;

	private final TaskStatusCache cache;

	private final TaskLifecycle lifecycle;

	TaskService(TaskRepository tasks, TaskStatusCache cache, TaskLifecycle lifecycle) {
		this.tasks = tasks;
		this.cache = cache;
		this.lifecycle = lifecycle;
	}

	public Task get(UUID userId, UUID taskId) {
		Optional<Task> cached = this.cache.get(taskId);
		if (cached.isPresent()) {
			return cached.filter(task -> task.isOwnedBy(userId)).orElseThrow(TaskService::notFound);
		}
		Task task = fromDatabase(userId, taskId);
		this.cache.put(task);
		return task;
	}

	Task fromDatabase(UUID userId, UUID taskId) {
		return this.tasks.findByIdAndUserId(taskId, userId).orElseThrow(TaskService::notFound);
	}

	List<Task> list(UUID userId, int max, boolean newestFirst) {
		return list(userId, max, newestFirst, null);
	}

	/** The same, only tasks in {@code status} when it is given. */
	List<Task> list(UUID userId, int max, boolean newestFirst, TaskStatus status) {
		List<Task> rows;
		if (status == null) {
			rows = newestFirst ? this.tasks.findNewestFirst(userId, max) : this.tasks.findOldestFirst(userId, max);
		}
		else {
			rows = newestFirst ? this.tasks.findNewestFirstWithStatus(userId, status.value(), max)
					: this.tasks.findOldestFirstWithStatus(userId, status.value(), max);
		}
		// running tasks move faster than the coarse progress PostgreSQL keeps
		return rows.stream()
			.map(row -> row.status() == TaskStatus.PROCESSING
					? this.cache.get(row.id()).filter(snap -> snap.isOwnedBy(userId)).orElse(row) : row)
			.toList();
	}

	void delete(UUID userId, UUID taskId) {
		if (!this.lifecycle.delete(fromDatabase(userId, taskId))) {
			throw Problems.conflict("task-processing", "Task is processing",
					"The task is being converted. Cancel it first (POST /api/tasks/{id}/cancel), then delete it.");
		}
	}

	Task cancel(UUID userId, UUID taskId) {
		return this.lifecycle.cancel(fromDatabase(userId, taskId))
			.orElseThrow(() -> Problems.conflict("already-finished", "Task already finished",
					"The task is " + currentStatus(userId, taskId) + "; only uploaded or processing tasks can be cancelled."));
	}

	Task retry(UUID userId, UUID taskId) {
		Optional<Task> again;
		try {
			again = this.lifecycle.retry(fromDatabase(userId, taskId));
		}
		catch (UsageLimitException ex) {
			throw LimitProblems.of(ex, true);
		}
		return again
			.orElseThrow(() -> Problems.conflict("not-retryable", "Task cannot be retried",
					"The task is " + currentStatus(userId, taskId) + "; only failed or cancelled tasks can be retried."));
	}

	private String currentStatus(UUID userId, UUID taskId) {
		return fromDatabase(userId, taskId).status().value();
	}

	private static RuntimeException notFound() {
		return Problems.notFound("No such task.");
	}

}
