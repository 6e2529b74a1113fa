package com.cct.conversion;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.cct.system.Threads;

/**
 * JobRunr stops its background job server for good when it cannot reach the database for a while
 * ("unrecoverable error"). A worker must survive a PostgreSQL restart without being restarted
 * itself, so this checks every few seconds and, once the database answers again, starts the
 * server anew. Its jobs that were running are orphans by then and are retried as usual.
 */
@Component
class JobServerSupervisor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobServerSupervisor.class);

	private static final long CHECK_SECONDS = 5;

	private final BackgroundJobServer server;

	private final JdbcTemplate jdbc;

	private final ScheduledExecutorService checks = Threads.scheduler("job-server-supervisor");

	private volatile boolean running;

	JobServerSupervisor(BackgroundJobServer server, JdbcTemplate jdbc) {
		this.server = server;
		this.jdbc = jdbc;
	}

	@Override
	public void start() {
		this.running = true;
		this.checks.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
	}

	private void check() {
		if (!this.running || this.server.isRunning()) {
			return;
		}
		try {
			this.jdbc.queryForObject("select 1", Integer.class);
		}
		catch (RuntimeException ex) {
			log.debug("Database still unreachable; the job server stays stopped: {}", ex.getMessage());
			return;
		}
		try {
			log.warn("The background job server had stopped (database outage); the database answers again: restarting it");
			this.server.start();
		}
		catch (RuntimeException ex) {
			log.warn("Restarting the background job server failed, trying again in {} s: {}", CHECK_SECONDS,
					ex.getMessage());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.checks.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops first on shutdown, so a deliberate stop of the job server is never undone. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

}
