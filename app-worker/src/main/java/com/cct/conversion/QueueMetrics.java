package com.cct.conversion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

import org.jobrunr.storage.JobStats;
import org.jobrunr.storage.StorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The queue as an autoscaler reads it, on {@code /actuator/prometheus}: jobs waiting for a thread
 * ({@code cct_jobs_waiting}), jobs running on any worker ({@code cct_jobs_running}), and this
 * server's share of the waiting ones ({@code cct_jobs_waiting_per_server}: waiting divided by the
 * live job servers). Every worker sees the same queue, so an autoscaler that adds up one series per
 * VM (Cloud Monitoring does, for a per-group metric) must read the share, whose sum over the VMs is
 * the queue. One query of JobRunr's job statistics serves every gauge and scrape for
 * {@link #MAX_AGE}, so scrapes never load the database.
 */
@Component
class QueueMetrics {

	static final Duration MAX_AGE = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(QueueMetrics.class);

	private final StorageProvider storage;

	private final Clock clock;

	private JobStats stats;

	private Instant readAt = Instant.MIN;

	QueueMetrics(StorageProvider storage, Clock clock, MeterRegistry registry) {
		this.storage = storage;
		this.clock = clock;
		gauge(registry, "cct.jobs.waiting", "Jobs enqueued and waiting for a worker thread (whole queue)",
				stats -> stats.getEnqueued());
		gauge(registry, "cct.jobs.running", "Jobs being processed by any worker (whole queue)",
				stats -> stats.getProcessing());
		gauge(registry, "cct.jobs.waiting.per.server",
				"Waiting jobs divided by the live job servers: summed over every worker, the queue",
				stats -> (double) stats.getEnqueued() / Math.max(1, stats.getBackgroundJobServers()));
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<JobStats> value) {
		// strong: the gauges keep reading this object for as long as the registry lives, bean or not
		Gauge.builder(name, this, metrics -> metrics.read(value))
			.description(description)
			.strongReference(true)
			.register(registry);
	}

	/**
	 * NaN while the database cannot be read (no number beats a stale one for scaling); a failed read
	 * is not retried before {@link #MAX_AGE} either.
	 */
	private synchronized double read(ToDoubleFunction<JobStats> value) {
		Instant now = this.clock.instant();
		if (!now.isBefore(this.readAt.plus(MAX_AGE))) {
			this.readAt = now;
			try {
				this.stats = this.storage.getJobStats();
			}
			catch (RuntimeException ex) {
				logger.debug("Job statistics unavailable: {}", ex.toString());
				this.stats = null;
			}
		}
		return (this.stats != null) ? value.applyAsDouble(this.stats) : Double.NaN;
	}

}
