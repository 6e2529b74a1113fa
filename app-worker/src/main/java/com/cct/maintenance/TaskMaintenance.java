package com.cct.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.states.StateName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.cct.conversion.FailureReasons;
import com.cct.job.TaskJobs;
import com.cct.storage.TaskFiles;
import com.cct.task.Task;
import com.cct.task.TaskLifecycle;
import com.cct.task.TaskRepository;
import com.cct.task.TaskStatus;

/**
 * Recurring JobRunr jobs that keep the task table and JobRunr in agreement, so no task is ever
 * stranded: a crash between a task's insert and its enqueue, a job deleted behind a task's back, or
 * a worker that died between a job's end and the task's update. And retention: old tasks go, with
 * their files (or objects), and so do files no task owns. Registered to recur by {@link RecurringJobs}.
 */
@Component
public class TaskMaintenance {

	private static final Logger log = LoggerFactory.getLogger(TaskMaintenance.class);

	private static final int BATCH = 500;

	/**
	 * Files without a task row this old are orphans (a process died between storing an upload and
	 * inserting its task; an upload to a bucket died half-way): far longer than any upload takes.
	 */
	static final Duration ORPHAN_GRACE = Duration.ofDays(1);

	private final TaskRepository tasks;

	private final TaskJobs jobs;

	private final TaskLifecycle lifecycle;

	private final MaintenanceSettings settings;

	private final Clock clock;

	private final TaskFiles files;

	TaskMaintenance(TaskRepository tasks, TaskJobs jobs, TaskLifecycle lifecycle, MaintenanceSettings settings,
			Clock clock, TaskFiles files) {
		this.files = files;
		this.tasks = tasks;
		this.jobs = jobs;
		this.lifecycle = lifecycle;
		this.settings = settings;
		this.clock = clock;
	}

	@Job(name = "Reconcile tasks with their jobs", retries = 0)
	public void reconcile() {
		Instant now = this.clock.instant();
		int enqueued = 0;
		for (Task task : this.tasks.findByStatusCreatedBefore(TaskStatus.UPLOADED.value(),
				now.minus(this.settings.reconcileGrace()), BATCH)) {
			Optional<StateName> state = this.jobs.conversionState(task.id());
			if (state.isEmpty() || state.get() == StateName.SUCCEEDED || state.get() == StateName.FAILED
					|| state.get() == StateName.DELETED) {
				this.jobs.rerunConversion(task.id());
				enqueued++;
			}
		}
		int repaired = 0;
		for (Task task : this.tasks.findByStatusCreatedBefore(TaskStatus.PROCESSING.value(), now, BATCH)) {
			if (task.startedAt() != null && task.startedAt().isAfter(now.minus(this.settings.stuckAfter()))) {
				continue;
			}
			StateName state = this.jobs.conversionState(task.id()).orElse(StateName.DELETED);
			if (state == StateName.FAILED) {
				// the same reason, and the same mail, as a failure the job server saw itself
				String reason = this.jobs.lastFailure(task.id())
					.map(FailureReasons::of)
					.orElse("The conversion failed.");
				this.lifecycle.fail(task.id(), reason);
				repaired++;
			}
			else if (state == StateName.SUCCEEDED || state == StateName.DELETED) {
				// the job is over but the task never heard: run it again, it is idempotent
				this.lifecycle.requeue(task.id());
				repaired++;
			}
		}
		if (enqueued + repaired > 0) {
			log.info("Reconciler enqueued {} stranded uploaded task(s) and repaired {} stuck processing task(s)",
					enqueued, repaired);
		}
	}

	@Job(name = "Delete tasks past their retention", retries = 0)
	public void applyRetention() {
		int orphans = this.files.sweepOrphans(this.clock.instant().minus(ORPHAN_GRACE), this.tasks::existsById);
		if (orphans > 0) {
			log.info("Retention removed the files of {} task(s) that no longer exist, or unfinished uploads", orphans);
		}
		if (this.settings.retention().isZero() || this.settings.retention().isNegative()) {
			return;
		}
		Instant before = this.clock.instant().minus(this.settings.retention());
		List<Task> old = this.tasks.findCreatedBefore(before, BATCH);
		int deleted = 0;
		for (Task task : old) {
			if (this.lifecycle.delete(task)) {
				deleted++;
			}
		}
		if (deleted > 0) {
			log.info("Retention deleted {} task(s) created before {}", deleted, before);
		}
	}

}
