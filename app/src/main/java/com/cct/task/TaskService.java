package com.cct.task;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import com.cct.job.TaskJobs;
import com.cct.status.TaskStatusCache;
import com.cct.storage.FileStorage;
import com.cct.web.Problems;

/**
 * Reads and commands on existing tasks. Reads try the Redis snapshot first (fresh progress, no
 * database round trip) and fall back to PostgreSQL; a task of another user is "not found".
 */
@Service
class TaskService {

	private final TaskRepository tasks;

	private final TaskStatusCache cache;

	private final TaskTransitions transitions;

	private final TaskJobs jobs;

	private final FileStorage storage;

	TaskService(TaskRepository tasks, TaskStatusCache cache, TaskTransitions transitions, TaskJobs jobs,
			FileStorage storage) {
		this.tasks = tasks;
		this.cache = cache;
		this.transitions = transitions;
		this.jobs = jobs;
		this.storage = storage;
	}

	Task get(UUID userId, UUID taskId) {
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
		List<Task> rows = newestFirst ? this.tasks.findNewestFirst(userId, max) : this.tasks.findOldestFirst(userId, max);
		// running tasks move faster than the coarse progress PostgreSQL keeps
		return rows.stream()
			.map(row -> row.status() == TaskStatus.PROCESSING
					? this.cache.get(row.id()).filter(snap -> snap.isOwnedBy(userId)).orElse(row) : row)
			.toList();
	}

	void delete(UUID userId, UUID taskId) {
		Task task = fromDatabase(userId, taskId);
		if (task.status() == TaskStatus.PROCESSING) {
			throw busy();
		}
		this.jobs.deleteConversion(taskId);
		if (this.tasks.deleteUnlessProcessing(taskId) == 0) {
			throw busy();
		}
		this.cache.evict(taskId);
		this.storage.deleteTaskFolder(task);
	}

	Task cancel(UUID userId, UUID taskId) {
		Task task = fromDatabase(userId, taskId);
		Task cancelled = this.transitions.toCancelled(taskId)
			.orElseThrow(() -> Problems.conflict("already-finished", "Task already finished",
					"The task is " + currentStatus(userId, taskId) + "; only uploaded or processing tasks can be cancelled."));
		this.jobs.signalCancel(taskId);
		this.jobs.stopConversion(taskId);
		if (task.status() == TaskStatus.UPLOADED) {
			this.storage.deleteTemporaries(task);
		}
		return cancelled;
	}

	Task retry(UUID userId, UUID taskId) {
		Task task = fromDatabase(userId, taskId);
		Task again = this.transitions.toUploadedForRetry(taskId)
			.orElseThrow(() -> Problems.conflict("not-retryable", "Task cannot be retried",
					"The task is " + currentStatus(userId, taskId) + "; only failed or cancelled tasks can be retried."));
		this.storage.deleteTemporaries(task);
		this.storage.deleteResult(task);
		this.jobs.rerunConversion(taskId);
		return again;
	}

	private String currentStatus(UUID userId, UUID taskId) {
		return fromDatabase(userId, taskId).status().value();
	}

	private static RuntimeException notFound() {
		return Problems.notFound("No such task.");
	}

	private static RuntimeException busy() {
		return Problems.conflict("task-processing", "Task is processing",
				"The task is being converted. Cancel it first (POST /api/tasks/{id}/cancel), then delete it.");
	}

}
