package com.cct.task;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

import com.cct.job.TaskJobs;
import com.cct.storage.TaskFiles;
import com.cct.system.Texts;
import com.cct.webhook.WebhookDispatch;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one owner of a task's life: it creates tasks, moves them between states, deletes them and
 * decides what follows an ending, for the web process and the workers alike. Every transition is
 * the guarded update in PostgreSQL first (the row it returns is the truth), then the snapshot and
 * event in Redis. Each transition returns the task as it is now when it happened, and empty when
 * the task was not in a state that allows it (another actor won the race).
 */
@Component
public class TaskLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

	/** The error column holds 1000 characters. */
	private static final int MAX_REASON = 997;

	private final TaskRepository tasks;

	private final JdbcAggregateTemplate jdbc;

	private final TaskStatusCache cache;

	private final TaskJobs jobs;

	private final TaskFiles storage;

	private final MeterRegistry meters;

	private final Clock clock;

	private final TaskUsage usage;

	private final TransactionTemplate transactions;

	private final WebhookDispatch webhooks;

	TaskLifecycle(TaskRepository tasks, JdbcAggregateTemplate jdbc, TaskStatusCache cache, TaskJobs jobs,
			TaskFiles storage, MeterRegistry meters, Clock clock, TaskUsage usage,
			PlatformTransactionManager transactions, WebhookDispatch webhooks) {
		this.webhooks = webhooks;
		this.usage = usage;
		this.transactions = new TransactionTemplate(transactions);
		this.tasks = tasks;
		this.jdbc = jdbc;
		this.cache = cache;
		this.jobs = jobs;
		this.storage = storage;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * Stores a new task whose original is already in its folder: the row first (committed, since
	 * JobRunr enqueues with its own connection and a worker must find the row), then its snapshot
	 * (before a fast worker can publish {@code processing}), then the job. A failed enqueue is left to
	 * the reconciler. A duplicate idempotency key surfaces as Spring's DuplicateKeyException; an
	 * account at one of its limits as {@link UsageLimitException}, with nothing stored.
	 */
	public Task create(Task task) {
		Task stored = this.transactions.execute(tx -> {
			this.usage.admitUpload(task.userId(), task.sizeBytes());
			return insert(task);
		});
		announce(stored);
		return stored;
	}

	/**
	 * Stores several new tasks of one owner that share one original, as {@link #create} stores one:
	 * admitted together (all or none, {@link UsageLimitException} with nothing stored), committed
	 * together, then announced and enqueued one by one. Each task's original is already in its own
	 * folder ({@link FileStorage#shareOriginal}); {@code originalOf} is the task whose upload stored
	 * the bytes (null when that is the first of {@code tasks}), {@code batchId} the batch they form
	 * (null for none). {@code upload}: the bytes were received now, so the upload counts (once)
	 * against the hourly limit and the quota; otherwise they are counted already.
	 */
	public List<Task> createShared(List<Task> tasks, UUID originalOf, UUID batchId, boolean upload) {
		Assert.notEmpty(tasks, "at least one task");
		Task first = tasks.get(0);
		UUID root = originalOf != null ? originalOf : first.id();
		List<Task> stored = this.transactions.execute(tx -> {
			this.usage.admit(first.userId(), tasks.size(), upload ? first.sizeBytes() : 0, upload);
			return tasks.stream().map(task -> {
				Task inserted = insert(task);
				this.tasks.markShared(task.id(), task.id().equals(root) ? null : root, batchId);
				return inserted;
			}).toList();
		});
		stored.forEach(this::announce);
		return stored;
	}

	private Task insert(Task task) {
		try {
			return this.jdbc.insert(task);
		}
		catch (DbActionExecutionException ex) {
			// the aggregate template wraps what the driver said; callers branch on the duplicate key
			if (ex.getCause() instanceof DuplicateKeyException duplicate) {
				throw duplicate;
			}
			throw ex;
		}
	}

	/** After the commit: the snapshot (before a fast worker can publish processing), then the job. */
	private void announce(Task stored) {
		this.cache.publish(TaskEvent.STATUS, stored);
		this.meters.counter("cct.uploads", "to", stored.target().id()).increment();
		try {
			this.jobs.enqueueConversion(stored.id());
		}
		catch (RuntimeException ex) {
			log.warn("Task {} stored but not enqueued yet; the reconciler will enqueue it: {}", stored.id(),
					ex.getMessage());
		}
	}

	/**
	 * A worker picked the task up (again, after a crash: the guard lets processing restart), unless its
	 * owner already has {@code perUser} conversions running while another account waits with fewer (the
	 * fair share; 0 turns it off): then empty, and the task stays uploaded.
	 */
	public Optional<Task> start(UUID id, int perUser) {
		return published(this.tasks.markProcessingUnlessYielding(id, this.clock.instant(), perUser));
	}

	/**
	 * The worker's attempt ended without an outcome (an error JobRunr retries, an interruption by a
	 * stopping server): the worker is alive, so the next start is not counted as a crash.
	 */
	public void attemptStopped(UUID id) {
		this.tasks.closeAttempt(id);
	}

	/** Publishes progress to readers (Redis); the caller paces it. */
	public void progress(Task running, int percent) {
		this.cache.publish(TaskEvent.PROGRESS, running.withProgress(percent));
	}

	/** Writes progress to the row, for readers while Redis is away; the caller paces it (far less often). */
	public void saveProgress(UUID id, int percent) {
		this.tasks.updateProgress(id, percent);
	}

	public Optional<Task> succeed(UUID id, long processedSize) {
		return ended(this.tasks.markProcessed(id, processedSize, this.clock.instant()));
	}

	/** Fails the task with a reason written for its owner (it is shown and mailed as it is). */
	public Optional<Task> fail(UUID id, String reason) {
		String text = (reason == null || reason.isBlank()) ? "The conversion failed." : reason.strip();
		return ended(this.tasks.markFailed(id, Texts.abbreviate(text, MAX_REASON), this.clock.instant()));
	}

	/**
	 * Cancels a task that has not ended: the worker running it is told to kill its process at once,
	 * and its job is stopped.
	 */
	public Optional<Task> cancel(Task task) {
		Optional<Task> cancelled = ended(this.tasks.markCancelled(task.id(), this.clock.instant()));
		cancelled.ifPresent(done -> {
			this.jobs.signalCancel(task.id());
			this.jobs.stopConversion(task.id());
			if (task.status() == TaskStatus.UPLOADED) {
				// nothing runs it, so nothing else will clear what an earlier attempt left
				this.storage.deleteTemporaries(task);
			}
		});
		return cancelled;
	}

	/**
	 * Runs a failed or cancelled task again under the same id, from its original. It is unfinished
	 * again, so it needs a free place under the account's active-task limit
	 * ({@link UsageLimitException} otherwise).
	 */
	public Optional<Task> retry(Task task) {
		if (!task.retryable()) {
			return Optional.empty();
		}
		Optional<Task> again = published(this.transactions.execute(tx -> {
			this.usage.admitRetry(task.userId());
			return this.tasks.markForRetry(task.id());
		}));
		again.ifPresent(queued -> {
			this.storage.deleteTemporaries(task);
			this.storage.deleteResult(task);
			this.jobs.rerunConversion(task.id());
		});
		return again;
	}

	/** Back to the queue: a processing task whose job ended without telling it. */
	public Optional<Task> requeue(UUID id) {
		Optional<Task> queued = published(this.tasks.markRequeued(id));
		queued.ifPresent(task -> this.jobs.rerunConversion(id));
		return queued;
	}

	/**
	 * Deletes the task with everything it has: its job, its row, its snapshot and its files. False
	 * (and nothing deleted) while it is processing.
	 */
	public boolean delete(Task task) {
		if (!task.deletable()) {
			return false;
		}
		this.jobs.deleteConversion(task.id());
		if (this.tasks.deleteUnlessProcessing(task.id()) == 0) {
			return false;
		}
		this.cache.evict(task.id());
		this.storage.deleteTask(task);
		return true;
	}

	/** What follows every ending, whoever ended it: the event, the owner's mail, webhooks, the count. */
	private Optional<Task> ended(Optional<Task> transition) {
		published(transition).ifPresent(task -> {
			if (task.mailsOwner()) {
				this.jobs.enqueueNotification(task.id(), task.finishedAt());
			}
			this.webhooks.taskEnded(task);
			this.meters.counter("cct.tasks.ended", "status", task.status().value()).increment();
		});
		return transition;
	}

	private Optional<Task> published(Optional<Task> transition) {
		transition.ifPresent(task -> this.cache.publish(TaskEvent.STATUS, task));
		return transition;
	}

}
