package com.cct.conversion;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.cct.system.Threads;
import com.cct.task.TaskRepository;

import jakarta.annotation.PreDestroy;

/**
 * Watches the conversions running in this worker. Four times a second it kills the processes of any
 * conversion past its deadline or whose job thread was interrupted (JobRunr deleted the job); every
 * two seconds it checks PostgreSQL for tasks cancelled while Redis could not say so. The Redis
 * cancel signal ({@link #cancel}) is the fast path. The watch runs only while a conversion does: an
 * idle worker has no timer ticking.
 */
@Component
class ProcessControl {

	private static final Logger log = LoggerFactory.getLogger(ProcessControl.class);

	private static final int DATABASE_CHECK_EVERY = 8;

	private final Map<UUID, ProcessScope> running = new ConcurrentHashMap<>();

	private final TaskRepository tasks;

	private final ScheduledExecutorService watchdog = Threads.scheduler("conversion-watchdog");

	private final Clock clock;

	private int ticks;

	private final ProcessJail jail;

	/** The scheduled watch while any conversion runs; null while none does. Guarded by {@code this}. */
	private ScheduledFuture<?> watching;

	ProcessControl(TaskRepository tasks, Clock clock, ConversionSettings settings) {
		this.tasks = tasks;
		this.clock = clock;
		this.jail = ProcessJail.of(settings);
	}

	ProcessScope open(UUID taskId, Duration ceiling) {
		ProcessScope scope = new ProcessScope(taskId, ceiling, this.clock, this.jail);
		synchronized (this) {
			this.running.put(taskId, scope);
			if (this.watching == null && !this.watchdog.isShutdown()) {
				this.watching = this.watchdog.scheduleWithFixedDelay(this::watch, 250, 250, TimeUnit.MILLISECONDS);
			}
		}
		return scope;
	}

	void close(ProcessScope scope) {
		synchronized (this) {
			this.running.remove(scope.taskId(), scope);
			if (this.running.isEmpty() && this.watching != null) {
				this.watching.cancel(false);
				this.watching = null;
			}
		}
		scope.close();
	}

	/** Whether the watch is scheduled (for tests). */
	synchronized boolean watching() {
		return this.watching != null;
	}

	/** Kills the task's processes if it runs here; a no-op otherwise. */
	void cancel(UUID taskId) {
		ProcessScope scope = this.running.get(taskId);
		if (scope != null) {
			log.info("Cancelling the conversion of task {}", taskId);
			scope.cancel();
		}
	}

	private void watch() {
		try {
			for (ProcessScope scope : this.running.values()) {
				if (scope.isExpired() || scope.owner().isInterrupted()) {
					scope.kill();
				}
			}
			if (++this.ticks % DATABASE_CHECK_EVERY == 0 && !this.running.isEmpty()) {
				// one light query for every conversion running here
				for (UUID ended : this.tasks.findEndedAmong(List.copyOf(this.running.keySet()))) {
					ProcessScope scope = this.running.get(ended);
					if (scope != null) {
						scope.cancel();
					}
				}
			}
		}
		catch (RuntimeException ex) {
			log.debug("Watchdog round skipped: {}", ex.getMessage());
		}
	}

	/**
	 * Processes are not killed here: on SIGTERM JobRunr lets running conversions finish (the drain)
	 * after this bean may already be gone. Whatever still runs when the JVM exits is killed by the
	 * kernel (see {@link ProcessScope}).
	 */
	@PreDestroy
	void shutdown() {
		this.watchdog.shutdownNow();
	}

}
