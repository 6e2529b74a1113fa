package com.cct.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.jobs.states.SucceededState;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSettings;
import com.cct.redis.RedisSubscription;
import com.cct.redis.ThrowawayRedis;

import redis.clients.jedis.JedisPooled;

/**
 * Against JobRunr's own in-memory job storage and a Redis of the test's own, so no other process's
 * wake-ups are counted.
 */
class TaskJobsTests {

	@TempDir
	static Path dir;

	static ThrowawayRedis server;

	static JedisPooled jedis;

	static RedisGuard redis;

	static RedisSubscription subscription;

	static final List<String> signals = new CopyOnWriteArrayList<>();

	InMemoryStorageProvider storage;

	TaskJobs jobs;

	@BeforeAll
	static void startRedis() throws Exception {
		server = new ThrowawayRedis(dir).start();
		RedisSettings settings = server.settings(Duration.ofSeconds(2));
		jedis = new JedisPooled(settings.url());
		redis = new RedisGuard(jedis, settings, Clock.systemUTC());
		subscription = RedisSubscription.toChannels("test-task-jobs", redis,
				(channel, message) -> signals.add(channel + "=" + message), TaskJobs.WAKE_UP_CHANNEL,
				TaskJobs.CANCEL_CHANNEL);
		subscription.start();
		await().atMost(Duration.ofSeconds(10)).until(subscription::isListening);
	}

	@AfterAll
	static void stopRedis() throws Exception {
		subscription.stop();
		jedis.close();
		server.close();
	}

	@BeforeEach
	void setUp() {
		this.storage = new InMemoryStorageProvider();
		this.storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
		this.jobs = new TaskJobs(new JobScheduler(this.storage), this.storage, redis);
		signals.clear();
	}

	@AfterEach
	void tearDown() {
		this.storage.close();
	}

	/** Puts the task's job into a state as if a server had run it. */
	void endJob(UUID taskId, JobState ending) {
		Job job = this.storage.getJobById(taskId);
		List<JobState> states = new CopyOnWriteArrayList<>(job.getJobStates());
		states.add(ending);
		this.storage.save(new Job(taskId, job.getVersion(), job.getJobDetails(), states, new ConcurrentHashMap<>()));
	}

	List<String> wakeUps() {
		return signals.stream().filter(signal -> signal.startsWith(TaskJobs.WAKE_UP_CHANNEL + "=")).toList();
	}

	@Nested
	class Conversions {

		@Test
		void enqueueNamesTheJobAfterTheTaskAndWakesTheWorkers() {
			UUID taskId = UUID.randomUUID();

			jobs.enqueueConversion(taskId);

			Job job = storage.getJobById(taskId);
			assertThat(job.getState()).isEqualTo(StateName.ENQUEUED);
			assertThat(job.getJobDetails().getClassName()).isEqualTo(ConversionJob.class.getName());
			assertThat(job.getJobDetails().getMethodName()).isEqualTo("convert");
			assertThat(job.getJobDetails().getJobParameterValues()).containsExactly(taskId);
			assertThat(job.getJobName()).isEqualTo("Convert task " + taskId);
			assertThat(jobs.conversionState(taskId)).contains(StateName.ENQUEUED);
			await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps().contains(TaskJobs.WAKE_UP_CHANNEL + "=1"));
		}

		@Test
		void enqueueingTwiceKeepsOneJob() {
			UUID taskId = UUID.randomUUID();
			jobs.enqueueConversion(taskId);

			assertThatCode(() -> jobs.enqueueConversion(taskId)).doesNotThrowAnyException();

			assertThat(storage.countJobs(StateName.ENQUEUED)).isEqualTo(1);
		}

		@Test
		void aTaskWithoutJobHasNoState() {
			UUID taskId = UUID.randomUUID();
			assertThat(jobs.conversion(taskId)).isEmpty();
			assertThat(jobs.conversionState(taskId)).isEmpty();
			assertThat(jobs.lastFailure(taskId)).isEmpty();
		}

		@Test
		void rerunEnqueuesAMissingJob() {
			UUID taskId = UUID.randomUUID();

			jobs.rerunConversion(taskId);

			assertThat(jobs.conversionState(taskId)).contains(StateName.ENQUEUED);
		}

		@Test
		void rerunMovesAFinishedJobBackToTheQueue() {
			UUID taskId = UUID.randomUUID();
			jobs.enqueueConversion(taskId);
			endJob(taskId, new SucceededState(Duration.ofSeconds(1), Duration.ofSeconds(2)));
			assertThat(jobs.conversionState(taskId)).contains(StateName.SUCCEEDED);
			signals.clear();

			jobs.rerunConversion(taskId);

			assertThat(jobs.conversionState(taskId)).contains(StateName.ENQUEUED);
			assertThat(storage.countJobs(StateName.ENQUEUED)).isEqualTo(1);
			await().atMost(Duration.ofSeconds(5)).until(() -> !wakeUps().isEmpty());
		}

		@Test
		void rerunMovesAFailedJobBackToTheQueueKeepingItsHistory() {
			UUID taskId = UUID.randomUUID();
			jobs.enqueueConversion(taskId);
			endJob(taskId, new FailedState("gave up", new IOException("disk full")));
			assertThat(jobs.lastFailure(taskId)).hasValueSatisfying(
					failure -> assertThat(failure.getExceptionMessage()).isEqualTo("disk full"));

			jobs.rerunConversion(taskId);

			assertThat(jobs.conversionState(taskId)).contains(StateName.ENQUEUED);
			assertThat(jobs.lastFailure(taskId)).isPresent();
		}

		@Test
		void rerunLeavesAQueuedJobAlone() {
			UUID taskId = UUID.randomUUID();
			jobs.enqueueConversion(taskId);
			int version = storage.getJobById(taskId).getVersion();

			jobs.rerunConversion(taskId);

			assertThat(storage.getJobById(taskId).getVersion()).isEqualTo(version);
			assertThat(storage.getJobById(taskId).getJobStates()).hasSize(1);
		}

		@Test
		void stopDeletesTheJobOnce() {
			UUID taskId = UUID.randomUUID();
			jobs.enqueueConversion(taskId);

			jobs.stopConversion(taskId);
			jobs.stopConversion(taskId);

			Job job = storage.getJobById(taskId);
			assertThat(job.getState()).isEqualTo(StateName.DELETED);
			assertThat(job.getJobStates()).hasSize(2);
		}

		@Test
		void stoppingAFinishedOrMissingJobIsHarmless() {
			UUID finished = UUID.randomUUID();
			jobs.enqueueConversion(finished);
			endJob(finished, new SucceededState(Duration.ofSeconds(1), Duration.ofSeconds(2)));

			assertThatCode(() -> {
				jobs.stopConversion(finished);
				jobs.stopConversion(UUID.randomUUID());
			}).doesNotThrowAnyException();
		}

		@Test
		void deleteRemovesTheJobForGood() {
			UUID taskId = UUID.randomUUID();
			jobs.enqueueConversion(taskId);

			jobs.deleteConversion(taskId);

			assertThatThrownBy(() -> storage.getJobById(taskId)).isInstanceOf(JobNotFoundException.class);
			assertThat(jobs.conversionState(taskId)).isEmpty();
		}

	}

	@Nested
	class Notifications {

		@Test
		void oneMailJobPerEnding() {
			UUID taskId = UUID.randomUUID();
			Instant ended = Instant.parse("2025-05-01T12:00:00.123Z");

			jobs.enqueueNotification(taskId, ended);
			jobs.enqueueNotification(taskId, ended);

			String key = "notify:" + taskId + ":" + ended.toEpochMilli();
			UUID id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
			Job job = storage.getJobById(id);
			assertThat(job.getJobDetails().getClassName()).isEqualTo(NotificationJob.class.getName());
			assertThat(job.getJobDetails().getJobParameterValues()).containsExactly(taskId);
			assertThat(storage.countJobs(StateName.ENQUEUED)).isEqualTo(1);
		}

		@Test
		void aLaterEndingOfTheSameTaskMailsAgain() {
			UUID taskId = UUID.randomUUID();
			Instant ended = Instant.parse("2025-05-01T12:00:00Z");

			jobs.enqueueNotification(taskId, ended);
			jobs.enqueueNotification(taskId, ended.plusSeconds(60));
			jobs.enqueueNotification(UUID.randomUUID(), ended);

			assertThat(storage.countJobs(StateName.ENQUEUED)).isEqualTo(3);
		}

	}

	@Nested
	class Signals {

		@Test
		void cancelNamesTheTaskOnTheCancelChannel() {
			UUID taskId = UUID.randomUUID();

			jobs.signalCancel(taskId);

			await().atMost(Duration.ofSeconds(5))
				.until(() -> signals.contains(TaskJobs.CANCEL_CHANNEL + "=" + taskId));
		}

		@Test
		void withoutRedisJobsAreStillEnqueued() throws IOException {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			RedisSettings nowhere = new RedisSettings(URI.create("redis://127.0.0.1:" + port),
					Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(1));
			try (JedisPooled away = new JedisPooled(nowhere.url())) {
				TaskJobs offline = new TaskJobs(new JobScheduler(storage), storage,
						new RedisGuard(away, nowhere, Clock.systemUTC()));
				UUID taskId = UUID.randomUUID();

				offline.enqueueConversion(taskId);
				offline.signalCancel(taskId);

				assertThat(offline.conversionState(taskId)).contains(StateName.ENQUEUED);
			}
		}

	}

}
