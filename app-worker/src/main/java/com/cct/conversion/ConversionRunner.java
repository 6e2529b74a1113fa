package com.cct.conversion;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.jobrunr.server.runner.ThreadLocalJobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import com.cct.job.ConversionJob;
import com.cct.storage.TaskFiles;
import com.cct.storage.Workspace;
import com.cct.task.Task;
import com.cct.task.TaskRepository;
import com.cct.task.TaskLifecycle;
import com.cct.task.TaskStatus;

/**
 * The conversion job. Safe to run again after a crash: it starts from the stored original, writes
 * to a temporary file in the attempt's local workspace, publishes the result whole and moves the task to
 * {@code processed} with a guarded update, so a re-run ends in the same state with one result file
 * and one transition. A task cancelled or deleted meanwhile is left alone.
 */
@Component
class ConversionRunner implements ConversionJob, InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(ConversionRunner.class);

	static final String CRASHED = "This file made the converter crash; it was not retried.";

	/**
	 * How often progress goes to PostgreSQL and JobRunr's progress bar at most (Redis gets it every
	 * {@code progressInterval}): readers ask Redis; the row only has to be roughly right when Redis is away.
	 */
	static final Duration DURABLE_PROGRESS_INTERVAL = Duration.ofSeconds(10);

	private final TaskRepository tasks;

	private final TaskLifecycle lifecycle;

	private final TaskFiles storage;

	private final List<Converter> converters;

	private final ProcessControl control;

	private final ConversionSettings settings;

	private final ConversionMetrics metrics;

	private final Clock clock;

	private final FairShare fairShare;

	ConversionRunner(TaskRepository tasks, TaskLifecycle lifecycle, TaskFiles storage, List<Converter> converters,
			ProcessControl control, ConversionSettings settings, ConversionMetrics metrics, Clock clock,
			FairShare fairShare) {
		this.fairShare = fairShare;
		this.tasks = tasks;
		this.lifecycle = lifecycle;
		this.clock = clock;
		this.storage = storage;
		this.converters = converters;
		this.control = control;
		this.settings = settings;
		this.metrics = metrics;
	}

	/** A worker with a bucket converts in a local scratch folder of its own: claimed before any job runs. */
	@Override
	public void afterPropertiesSet() {
		this.storage.claimScratch();
	}

	@Override
	public void convert(UUID taskId) throws Exception {
		Optional<Task> stored = this.tasks.findCurrent(taskId);
		if (stored.isEmpty() || stored.get().status().isFinal()) {
			log.info("Task {} is gone or already ended; nothing to do", taskId);
			return;
		}
		Optional<Task> started = this.lifecycle.start(taskId, this.fairShare.perUser());
		if (started.isEmpty()) {
			if (stored.get().status() == TaskStatus.UPLOADED) {
				// its owner's turn is not yet: the task stays uploaded, no attempt is opened; the job is scheduled again
				this.fairShare.yielded(stored.get());
			}
			return;
		}
		Task task = started.get();
		if (task.crashedTooOften()) {
			log.warn("Task {} crashed its converter {} times; failing it instead of trying again", taskId, task.crashes());
			this.lifecycle.fail(taskId, CRASHED);
			return;
		}
		boolean finished = false;
		try {
			finished = run(task, stored.get());
		}
		finally {
			if (!finished) {
				this.lifecycle.attemptStopped(taskId);
			}
		}
	}

	/** Converts the started task; true once its result is in place (or another actor ended it). */
	private boolean run(Task task, Task stored) throws Exception {
		this.metrics.pickedUp(stored);
		Instant began = this.clock.instant();
		Converter converter = this.converters.stream()
			.filter(candidate -> candidate.handles(task))
			.findFirst()
			.orElseThrow(() -> new RejectedInputException("This conversion is not supported."));
		// leftovers of an attempt that died with its worker are gone from a new workspace
		try (Workspace workspace = this.storage.workspace(task)) {
			return run(task, converter, workspace, input(workspace), began);
		}
	}

	private static Path input(Workspace workspace) throws IOException {
		try {
			return workspace.input();
		}
		catch (NoSuchFileException ex) {
			throw new RejectedInputException("The uploaded file is missing; please upload it again.");
		}
	}

	private boolean run(Task task, Converter converter, Workspace workspace, Path input, Instant began)
			throws Exception {
		UUID taskId = task.id();
		Path output = workspace.newTempFile(task.target().extension());
		ProcessScope scope = this.control.open(taskId, this.settings.maxJobDuration());
		try {
			JobDashboardProgressBar bar = progressBar();
			ConversionContext context = new ConversionContext(task, input, output, workspace,
					new ProgressThrottle(this.settings.progressInterval(), percent -> this.lifecycle.progress(task, percent),
							DURABLE_PROGRESS_INTERVAL, percent -> {
								if (bar != null) {
									bar.setProgress(percent);
								}
								this.lifecycle.saveProgress(taskId, percent);
							}),
					scope);
			converter.convert(context);
			context.checkpoint();
			context.checkOutputSize();
			long size = finish(task, workspace, output);
			this.metrics.converted(task, "processed", took(began), size);
			return true;
		}
		catch (InterruptedException ex) {
			failIfExpired(scope, task, began);
			this.metrics.converted(task, "cancelled", took(began), 0);
			log.info("Conversion of task {} stopped: cancelled or interrupted", taskId);
			if (!scope.isCancelled()) {
				// interrupted by a stopping server: JobRunr will run it again elsewhere
				Thread.currentThread().interrupt();
				throw ex;
			}
			return false;
		}
		catch (RejectedInputException | DeadlineExceededException ex) {
			fail(task, began, ex instanceof DeadlineExceededException ? "timeout" : "rejected");
			throw ex;
		}
		catch (Exception ex) {
			if (scope.isCancelled()) {
				log.info("Conversion of task {} cancelled", taskId);
				return false;
			}
			failIfExpired(scope, task, began);
			fail(task, began, "error");
			throw ex;
		}
		finally {
			this.control.close(scope);
		}
	}

	private long finish(Task task, Workspace workspace, Path output) throws IOException {
		long size = workspace.publish(output);
		if (this.lifecycle.succeed(task.id(), size).isEmpty()) {
			// cancelled or deleted while the last bytes were written: the result must not linger; but when
			// another run of the same job finished first, the (equivalent) result is the task's and stays
			boolean processedElsewhere = this.tasks.findById(task.id())
				.map(current -> current.status() == TaskStatus.PROCESSED)
				.orElse(false);
			if (!processedElsewhere) {
				this.storage.deleteResult(task);
			}
		}
		return size;
	}

	/** A process killed at its deadline surfaces as an interruption or an I/O error: name it for what it is. */
	private void failIfExpired(ProcessScope scope, Task task, Instant began) {
		if (scope.isExpired()) {
			fail(task, began, "timeout");
			throw new DeadlineExceededException(scope.limit());
		}
	}

	private void fail(Task task, Instant began, String outcome) {
		this.metrics.converted(task, outcome, took(began), 0);
	}

	private Duration took(Instant began) {
		return Duration.between(began, this.clock.instant());
	}

	private static JobDashboardProgressBar progressBar() {
		return ThreadLocalJobContext.hasJobContext() ? ThreadLocalJobContext.getJobContext().progressBar(100) : null;
	}

}
