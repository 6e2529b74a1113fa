package com.cct.conversion;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.cct.task.Task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Fairness between accounts on the workers. JobRunr's open-source edition has no priorities or
 * queues, so a burst of one account's uploads would hold every worker until it is done. A queued
 * task starts only through {@link com.cct.task.TaskLifecycle#start}, whose guarded update refuses it
 * while its owner already has {@code CCT_USER_RUNNING_TASKS} conversions running and another account
 * waits with fewer (one statement: the counts come from PostgreSQL, so they hold across workers; two
 * starts at the same instant may both pass, the limit is a share, not a lock). Then the job returns
 * without touching the task (no attempt opened, no crash counted) and {@link FairShareFilter} turns
 * its ending into a new schedule a few seconds later instead of a success; no failure is recorded, so
 * JobRunr's retries stay untouched.
 */
@Component
class FairShare {

	private static final Logger log = LoggerFactory.getLogger(FairShare.class);

	/** How long a job that yielded waits; JobRunr moves it back to the queue at its next poll after that. */
	static final Duration YIELD_DELAY = Duration.ofSeconds(3);

	private final int perUser;

	private final Set<UUID> yielded = ConcurrentHashMap.newKeySet();

	private final Counter yields;

	FairShare(ConversionSettings settings, MeterRegistry meters) {
		this.perUser = settings.userRunningTasks();
		this.yields = meters.counter("cct.conversions.yielded");
	}

	/** An owner's running conversions at which its further queued tasks wait their turn (0: never). */
	int perUser() {
		return this.perUser;
	}

	/** The guarded start refused this queued task: its job is rescheduled as it ends. */
	void yielded(Task task) {
		log.debug("Task {} yields: its owner has {} or more conversions running while others wait", task.id(),
				this.perUser);
		this.yielded.add(task.id());
		this.yields.increment();
	}

	/** Whether the job of this task just yielded (asked once, by the filter). */
	boolean takeYield(UUID taskId) {
		return this.yielded.remove(taskId);
	}

}
