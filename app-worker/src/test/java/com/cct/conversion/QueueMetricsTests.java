package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.cct.job.ConversionJob;
import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The queue gauges against JobRunr's real PostgreSQL storage, in a database of this test's own
 * ({@code cct_queue_<pid>}) so no other build's jobs are counted.
 */
class QueueMetricsTests {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String DATABASE = "cct_queue_" + ProcessHandle.current().pid();

	static HikariDataSource pool;

	static StorageProvider storage;

	private final MutableClock clock = new MutableClock();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeAll
	static void freshDatabase() {
		admin("drop database if exists " + DATABASE + " with (force)");
		admin("create database " + DATABASE);
		// a pool that keeps its connections, as the worker's does: a busy shared server cannot refuse a new one mid-test
		pool = new HikariDataSource();
		pool.setJdbcUrl(SERVER + DATABASE);
		pool.setUsername("postgres");
		pool.setMaximumPoolSize(2);
		pool.setMinimumIdle(2);
		storage = new PostgresStorageProvider(pool);
		storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
		await("the pool's connections").atMost(Duration.ofSeconds(60)).until(() -> pool.getHikariPoolMXBean().getIdleConnections() == 2);
	}

	@AfterAll
	static void dropDatabase() {
		if (storage != null) {
			storage.close();
		}
		if (pool != null) {
			pool.close();
		}
		admin("drop database if exists " + DATABASE + " with (force)");
	}

	@Test
	void theGaugesFollowTheQueueAtMostOnceEveryFewSeconds() {
		new QueueMetrics(storage, this.clock, this.registry);
		assertThat(waiting()).isZero();
		assertThat(running()).isZero();

		List<Job> queued = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			queued.add(storage.save(new Job(conversion())));
		}
		UUID server = announceServer();
		announceServer();
		startProcessing(queued.get(3), server);
		assertThat(waiting()).as("read at most once per %s", QueueMetrics.MAX_AGE).isZero();

		this.clock.advance(QueueMetrics.MAX_AGE);
		assertThat(waiting()).isEqualTo(3);
		assertThat(running()).isEqualTo(1);
		assertThat(perServer()).as("3 waiting over 2 live servers").isEqualTo(1.5);

		storage.save(storage.getJobById(queued.get(3).getId()).succeeded());
		startProcessing(queued.get(0), server);
		startProcessing(queued.get(1), server);
		this.clock.advance(QueueMetrics.MAX_AGE);
		assertThat(waiting()).isEqualTo(1);
		assertThat(running()).isEqualTo(2);
		assertThat(perServer()).isEqualTo(0.5);
	}

	@Test
	void aDatabaseItCannotReadGivesNoNumberRatherThanAnOldOne() {
		PGSimpleDataSource nowhere = new PGSimpleDataSource();
		nowhere.setUrl(SERVER + DATABASE);
		nowhere.setUser("postgres");
		StorageProvider working = new PostgresStorageProvider(nowhere);
		working.setJobMapper(new JobMapper(new JacksonJsonMapper()));
		new QueueMetrics(working, this.clock, this.registry);
		assertThat(waiting()).isNotNaN();

		nowhere.setPortNumbers(new int[] { 1 });
		this.clock.advance(QueueMetrics.MAX_AGE);
		assertThat(waiting()).isNaN();
		assertThat(running()).isNaN();
	}

	private double waiting() {
		return this.registry.get("cct.jobs.waiting").gauge().value();
	}

	private double running() {
		return this.registry.get("cct.jobs.running").gauge().value();
	}

	private double perServer() {
		return this.registry.get("cct.jobs.waiting.per.server").gauge().value();
	}

	private static void startProcessing(Job queued, UUID server) {
		Job current = storage.getJobById(queued.getId());
		List<JobState> states = new ArrayList<>(current.getJobStates());
		states.add(new ProcessingState(server, "worker-1"));
		storage.save(new Job(current.getId(), current.getVersion(), current.getJobDetails(), states,
				new ConcurrentHashMap<>()));
	}

	private static UUID announceServer() {
		UUID id = UUID.randomUUID();
		Instant now = Instant.now();
		storage.announceBackgroundJobServer(new BackgroundJobServerStatus(id, "worker-" + id, 2, 5, Duration.ofHours(24),
				Duration.ofHours(72), now, now, true, 1L, 1L, 0.1, 1L, 1L, 1L, 0.1));
		return id;
	}

	private static JobDetails conversion() {
		return new JobDetails(ConversionJob.class.getName(), null, "convert",
				List.of(new JobParameter(UUID.class, UUID.randomUUID())));
	}

	/** Retried for a while: the machine's server is shared, and may have no connection to spare for a moment. */
	private static void admin(String sql) {
		await(sql).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			try (Connection db = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
					Statement statement = db.createStatement()) {
				statement.execute(sql);
				return true;
			}
		});
	}

}
