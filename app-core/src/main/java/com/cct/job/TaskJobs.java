package com.cct.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.IllegalJobStateChangeException;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.springframework.stereotype.Component;

import com.cct.redis.RedisGuard;

/**
 * Every JobRunr call about a task's jobs. After an enqueue it publishes a wake-up so an idle worker
 * starts at once instead of at its next database poll.
 */
@Component
public class TaskJobs {

	public static final String WAKE_UP_CHANNEL = "cct:wakeup";

	/** Tells the worker running a task to kill its process now, ahead of JobRunr's next heartbeat. */
	public static final String CANCEL_CHANNEL = "cct:cancel";

	private final JobScheduler scheduler;

	private final StorageProvider storage;

	private final RedisGuard redis;

	public TaskJobs(JobScheduler scheduler, StorageProvider storage, RedisGuard redis) {
		this.scheduler = scheduler;
		this.storage = storage;
		this.redis = redis;
	}

	/**
	 * Enqueues the conversion under the task's id; a no-op when that job already exists. The job's
	 * commit does not wait for the disk ({@link JobRunrDataSource}): the task's row was committed
	 * durably before, and a job row that a crash of PostgreSQL loses is enqueued again by the
	 * reconciler (the task is still uploaded, with no job). An upload then waits for one flush of
	 * PostgreSQL's log, not two, and under upload load those flushes queue behind the uploads' own
	 * writes to the same disk.
	 */
	public void enqueueConversion(UUID taskId) {
		JobRunrDataSource
			.withoutWaitingForTheFlush(() -> this.scheduler.<ConversionJob>enqueue(taskId, job -> job.convert(taskId)));
		wakeWorkers();
	}

	/**
	 * Runs the conversion again with the same id: JobRunr ignores an enqueue for an id it knows, so a
	 * finished job is moved back to enqueued instead.
	 */
	public void rerunConversion(UUID taskId) {
		try {
			Job job = this.storage.getJobById(taskId);
			if (job.hasState(StateName.ENQUEUED) || job.hasState(StateName.PROCESSING)
					|| job.hasState(StateName.SCHEDULED)) {
				return;
			}
			job.enqueue();
			this.storage.save(job);
			wakeWorkers();
		}
		catch (JobNotFoundException ex) {
			enqueueConversion(taskId);
		}
	}

	/** The conversion job's current state, empty when JobRunr holds no job for the task. */
	public Optional<Job> conversion(UUID taskId) {
		try {
			return Optional.of(this.storage.getJobById(taskId));
		}
		catch (JobNotFoundException ex) {
			return Optional.empty();
		}
	}

	public Optional<StateName> conversionState(UUID taskId) {
		return conversion(taskId).map(Job::getState);
	}

	/** Why the conversion job last failed, if it ever did. */
	public Optional<FailedState> lastFailure(UUID taskId) {
		return conversion(taskId).flatMap(job -> job.getLastJobStateOfType(FailedState.class));
	}

	/** Stops the conversion job (a running one is interrupted at the server's next heartbeat). */
	public void stopConversion(UUID taskId) {
		conversion(taskId).filter(job -> job.getState() != StateName.DELETED).ifPresent(job -> {
			try {
				this.scheduler.delete(taskId, "cancelled by its owner");
			}
			catch (IllegalJobStateChangeException | ConcurrentJobModificationException ex) {
				// it ended or was deleted meanwhile: either way it no longer runs
			}
		});
	}

	/** Removes the conversion job for good: nothing of a deleted task stays in JobRunr. */
	public void deleteConversion(UUID taskId) {
		stopConversion(taskId);
		this.storage.deletePermanently(taskId);
	}

	/**
	 * One mail per ending: the id derives from the task and the moment it ended, so a re-run of the
	 * same ending does not mail twice while a later retry of the task mails again.
	 */
	public void enqueueNotification(UUID taskId, Instant finishedAt) {
		this.scheduler.<NotificationJob>enqueue(notificationId(taskId, finishedAt), job -> job.notifyOwner(taskId));
		wakeWorkers();
	}

	private static UUID notificationId(UUID taskId, Instant finishedAt) {
		String key = "notify:" + taskId + ":" + finishedAt.toEpochMilli();
		return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Removes the mail and webhook jobs of a task's last ending (their arguments name the task), for
	 * an account that is being deleted. Jobs of earlier endings of a retried task go with JobRunr's
	 * own clean-up of finished jobs.
	 */
	public void deleteEndingJobs(UUID taskId, Instant finishedAt, Collection<UUID> webhookIds) {
		if (finishedAt == null) {
			return;
		}
		this.storage.deletePermanently(notificationId(taskId, finishedAt));
		webhookIds.forEach(webhookId -> this.storage.deletePermanently(webhookDeliveryId(webhookId, taskId, finishedAt)));
	}

	/** Removes a job for good, whatever its state; nothing happens for an unknown id. */
	public void deleteJob(UUID id) {
		this.storage.deletePermanently(id);
	}

	/**
	 * One delivery per webhook and ending, under an id derived like the mail's: a re-run of the same
	 * ending delivers nothing twice. The id is what receivers see as {@code Cct-Delivery}.
	 */
	public UUID enqueueWebhook(UUID webhookId, UUID taskId, String event, Instant finishedAt) {
		UUID id = webhookDeliveryId(webhookId, taskId, finishedAt);
		this.scheduler.<WebhookJob>enqueue(id, job -> job.deliver(webhookId, taskId, event));
		wakeWorkers();
		return id;
	}

	public static UUID webhookDeliveryId(UUID webhookId, UUID taskId, Instant finishedAt) {
		String key = "webhook:" + webhookId + ":" + taskId + ":" + finishedAt.toEpochMilli();
		return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
	}

	public void signalCancel(UUID taskId) {
		this.redis.run(jedis -> jedis.publish(CANCEL_CHANNEL, taskId.toString()));
	}

	public void wakeWorkers() {
		this.redis.run(jedis -> jedis.publish(WAKE_UP_CHANNEL, "1"));
	}

}
