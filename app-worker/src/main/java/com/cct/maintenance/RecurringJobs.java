package com.cct.maintenance;

import java.time.Duration;

import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Registers the recurring housekeeping jobs. Several workers starting at the same moment on a fresh
 * database would each insert the same recurring job, and JobRunr's registration of {@code @Recurring}
 * beans lets the loser die on the primary key during start-up. Here the registration is serialised
 * across every process by a PostgreSQL advisory lock (held on a connection of its own while JobRunr
 * writes through others), so the second process finds the job and merely updates it.
 */
@Component
class RecurringJobs {

	private static final Logger log = LoggerFactory.getLogger(RecurringJobs.class);

	/** Any fixed number: the advisory lock that stands for "recurring jobs are being registered". */
	private static final long REGISTRATION_LOCK = 0x63637452L;

	static final String RECONCILE = "reconcile-tasks";

	static final String RETENTION = "task-retention";

	private final JobScheduler scheduler;

	private final JdbcTemplate jdbc;

	RecurringJobs(JobScheduler scheduler, JdbcTemplate jdbc) {
		this.scheduler = scheduler;
		this.jdbc = jdbc;
	}

	@EventListener(ApplicationReadyEvent.class)
	void register() {
		this.jdbc.execute((ConnectionCallback<Void>) connection -> {
			try (var lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
				lock.setLong(1, REGISTRATION_LOCK);
				lock.execute();
			}
			try {
				this.scheduler.<TaskMaintenance>scheduleRecurrently(RECONCILE, Duration.ofSeconds(30),
						maintenance -> maintenance.reconcile());
				this.scheduler.<TaskMaintenance>scheduleRecurrently(RETENTION, Duration.ofHours(1),
						maintenance -> maintenance.applyRetention());
				log.info("Recurring jobs {} and {} registered", RECONCILE, RETENTION);
			}
			finally {
				try (var unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
					unlock.setLong(1, REGISTRATION_LOCK);
					unlock.execute();
				}
			}
			return null;
		});
	}

}
