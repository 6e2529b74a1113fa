package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.data.jdbc.DataJdbcTest;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import com.cct.TestDatabase;
import com.cct.format.Format;
import com.cct.job.TaskJobs;
import com.cct.storage.FileStorage;
import com.cct.task.UsageLimitException.Limit;
import com.cct.webhook.WebhookDispatch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Usage counted and admitted against the real PostgreSQL and schema, each admission in its own
 * committed transaction as the lifecycle runs it: limits of 3 unfinished tasks, 10 000 bytes and 4
 * uploads an hour.
 */
@DataJdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import({ TaskConverters.class, TaskUsage.class, TaskUsageTests.Limits.class })
class TaskUsageTests {

	private static final ExecutorService RACERS = Executors.newFixedThreadPool(2);

	@Autowired
	TaskUsage usage;

	@Autowired
	TaskRepository tasks;

	@Autowired
	JdbcAggregateTemplate aggregates;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	SteppingClock clock;

	private UUID user;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
	}

	@AfterAll
	static void stopRacers() {
		RACERS.shutdownNow();
	}

	@BeforeEach
	void newUser() {
		this.user = TestDatabase.insertUser(this.jdbc);
	}

	@Test
	void countsUnfinishedTasksStoredBytesAndUploadsOfTheOwnerOnly() {
		Task done = upload(1000);
		this.tasks.markProcessingUnlessYielding(done.id(), now(), 0);
		this.tasks.markProcessed(done.id(), 500, now());
		Task running = upload(200);
		this.tasks.markProcessingUnlessYielding(running.id(), now(), 0);
		upload(100);
		UUID other = this.user;
		newUser();
		upload(7);
		Usage mine = this.usage.of(other);
		assertThat(mine.activeTasks()).isEqualTo(2);
		assertThat(mine.storedBytes()).isEqualTo(1000 + 500 + 200 + 100);
		assertThat(mine.uploadsLastHour()).isEqualTo(3);
		assertThat(this.usage.of(this.user).storedBytes()).isEqualTo(7);
	}

	@Test
	void theLifecycleAdmitsAndStoresInOneTransactionAndADuplicateKeyIsNotCounted() {
		TaskLifecycle lifecycle = lifecycle();
		lifecycle.create(withKey("key-1"));

		assertThatThrownBy(() -> lifecycle.create(withKey("key-1"))).isInstanceOf(DuplicateKeyException.class);
		assertThat(this.usage.of(this.user).uploadsLastHour()).as("the second admission rolled back").isEqualTo(1);
		lifecycle.create(withKey("key-2"));
		lifecycle.create(withKey("key-3"));
		assertThatThrownBy(() -> lifecycle.create(withKey("key-4"))).isInstanceOf(UsageLimitException.class);
		assertThat(this.usage.of(this.user).activeTasks()).isEqualTo(3);
	}

	private Task withKey(String key) {
		return Task.uploaded(UUID.randomUUID(), this.user, "song.wav", Format.WAV, Format.MP3, null, 1,
				FileStorage.newStoredName("wav"), FileStorage.newStoredName("mp3"), true, key, now());
	}

	@Nested
	class ActiveTasks {

		@Test
		void theUploadPastTheLimitIsRefusedWithAWaitAndAFinishedTaskMakesRoom() {
			Task first = upload(10);
			upload(10);
			upload(10);
			assertThatThrownBy(() -> upload(10)).isInstanceOfSatisfying(UsageLimitException.class, ex -> {
				assertThat(ex.limit()).isEqualTo(Limit.ACTIVE_TASKS);
				assertThat(ex.used()).isEqualTo(3);
				assertThat(ex.allowed()).isEqualTo(3);
				assertThat(ex.retryAfter()).isPositive();
			});
			assertThat(usage.of(user).activeTasks()).as("nothing stored").isEqualTo(3);
			tasks.markCancelled(first.id(), now());
			upload(10);
		}

		@Test
		void aRetryNeedsAFreePlaceToo() {
			Task failed = upload(10);
			tasks.markFailed(failed.id(), "broken", now());
			upload(10);
			upload(10);
			upload(10);
			assertThatThrownBy(() -> inTransaction(() -> {
				usage.admitRetry(user);
				return null;
			})).isInstanceOfSatisfying(UsageLimitException.class,
					ex -> assertThat(ex.limit()).isEqualTo(Limit.ACTIVE_TASKS));
		}

		@RepeatedTest(5)
		void twoUploadsRacingForTheLastPlaceGetItOnce() throws Exception {
			upload(10);
			upload(10);
			CyclicBarrier start = new CyclicBarrier(2);
			List<Future<Boolean>> racers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				racers.add(RACERS.submit(() -> {
					start.await();
					try {
						upload(10);
						return true;
					}
					catch (UsageLimitException ex) {
						return false;
					}
				}));
			}
			int admitted = 0;
			for (Future<Boolean> racer : racers) {
				admitted += racer.get() ? 1 : 0;
			}
			assertThat(admitted).isEqualTo(1);
			assertThat(usage.of(user).activeTasks()).isEqualTo(3);
		}

	}

	@Nested
	class StorageQuota {

		@Test
		void anUploadThatDoesNotFitIsRefusedWithoutAWait() {
			upload(6000);
			assertThatThrownBy(() -> upload(4001)).isInstanceOfSatisfying(UsageLimitException.class, ex -> {
				assertThat(ex.limit()).isEqualTo(Limit.STORAGE_QUOTA);
				assertThat(ex.used()).isEqualTo(6000);
				assertThat(ex.allowed()).isEqualTo(10_000);
				assertThat(ex.requested()).isEqualTo(4001);
				assertThat(ex.retryAfter()).isNull();
			});
			upload(4000);
		}

		@Test
		void resultsCountAndDeletingATaskFreesItsBytes() {
			Task big = upload(5000);
			tasks.markProcessingUnlessYielding(big.id(), now(), 0);
			tasks.markProcessed(big.id(), 4000, now());
			assertThatThrownBy(() -> upload(1001)).isInstanceOf(UsageLimitException.class);
			tasks.deleteUnlessProcessing(big.id());
			upload(1001);
		}

	}

	@Nested
	class UploadsPerHour {

		@Test
		void theFifthUploadInAnHourWaitsUntilTheFirstLeavesTheWindow() {
			for (int i = 0; i < 4; i++) {
				Task task = upload(1);
				tasks.markCancelled(task.id(), now());
				clock.advance(Duration.ofMinutes(10));
			}
			assertThatThrownBy(() -> upload(1)).isInstanceOfSatisfying(UsageLimitException.class, ex -> {
				assertThat(ex.limit()).isEqualTo(Limit.UPLOADS_PER_HOUR);
				assertThat(ex.used()).isEqualTo(4);
				// until the first upload is an hour old: 20 minutes from now, less the test's own run time
				assertThat(ex.retryAfter()).isBetween(Duration.ofMinutes(20).minusSeconds(5), Duration.ofMinutes(20));
			});
			clock.advance(Duration.ofMinutes(20).plusSeconds(1));
			upload(1);
		}

		@Test
		void deletedTasksStillCount() {
			for (int i = 0; i < 4; i++) {
				tasks.deleteUnlessProcessing(upload(1).id());
			}
			assertThat(usage.of(user).uploadsLastHour()).isEqualTo(4);
			assertThatThrownBy(() -> upload(1)).isInstanceOfSatisfying(UsageLimitException.class,
					ex -> assertThat(ex.limit()).isEqualTo(Limit.UPLOADS_PER_HOUR));
		}

	}

	@Nested
	class SharedOriginals {

		@Test
		void aBatchCountsItsOriginalOnceAndItsUploadOnceAndKeepsCountingAfterItsFirstTaskIsDeleted() {
			List<Task> batch = lifecycle().createShared(List.of(task(3000), task(3000), task(3000)), null,
					UUID.randomUUID(), true);
			Usage counted = usage.of(user);
			assertThat(counted.activeTasks()).isEqualTo(3);
			assertThat(counted.storedBytes()).isEqualTo(3000);
			assertThat(counted.uploadsLastHour()).isEqualTo(1);
			tasks.markProcessingUnlessYielding(batch.get(1).id(), now(), 0);
			tasks.markProcessed(batch.get(1).id(), 200, now());

			tasks.deleteUnlessProcessing(batch.get(0).id());
			assertThat(usage.of(user).storedBytes()).as("the others still name the first").isEqualTo(3000 + 200);
			tasks.deleteUnlessProcessing(batch.get(2).id());
			assertThat(usage.of(user).storedBytes()).isEqualTo(3000 + 200);
			tasks.deleteUnlessProcessing(batch.get(1).id());
			assertThat(usage.of(user).storedBytes()).as("the last one gone").isZero();
		}

		@Test
		void aLaterConversionSharesTheOriginalIsNoUploadAndTakesAnActivePlace() {
			Task first = upload(4000);
			lifecycle().createShared(List.of(task(4000)), first.id(), null, false);
			assertThat(usage.of(user).storedBytes()).isEqualTo(4000);
			assertThat(usage.of(user).uploadsLastHour()).isEqualTo(1);
			assertThat(usage.of(user).activeTasks()).isEqualTo(2);
			assertThat(tasks.findOriginalOf(first.id())).isEqualTo(first.id());
		}

		@Test
		void aBatchOverTheActiveLimitIsRefusedWholeWithNothingStoredOrLogged() {
			upload(10);
			assertThatThrownBy(() -> lifecycle().createShared(List.of(task(10), task(10), task(10)), null,
					UUID.randomUUID(), true))
				.isInstanceOfSatisfying(UsageLimitException.class, ex -> {
					assertThat(ex.limit()).isEqualTo(Limit.ACTIVE_TASKS);
					assertThat(ex.used()).isEqualTo(1);
				});
			Usage after = usage.of(user);
			assertThat(after.activeTasks()).isEqualTo(1);
			assertThat(after.uploadsLastHour()).isEqualTo(1);
			lifecycle().createShared(List.of(task(10), task(10)), null, UUID.randomUUID(), true);
		}

		@Test
		void theBatchIsFoundAgainInItsOrder() {
			UUID batchId = UUID.randomUUID();
			List<Task> batch = List.of(task(1), task(1), task(1));
			List<Task> stored = lifecycle().createShared(batch, null, batchId, true);
			assertThat(tasks.findBatch(batchId, user)).extracting(Task::id)
				.containsExactlyElementsOf(stored.stream().map(Task::id).toList());
			assertThat(tasks.findBatch(batchId, UUID.randomUUID())).isEmpty();
		}

		private int created;

		private Task task(long size) {
			// a batch's tasks a microsecond apart, as the upload makes them
			return Task.uploaded(UUID.randomUUID(), user, "song.wav", Format.WAV, Format.MP3, null, size,
					FileStorage.newStoredName("wav"), FileStorage.newStoredName("mp3"), true, null,
					now().plusNanos(1000L * this.created++));
		}

	}

	private TaskLifecycle lifecycle() {
		return new TaskLifecycle(this.tasks, this.aggregates, mock(TaskStatusCache.class), mock(TaskJobs.class),
				mock(FileStorage.class), new SimpleMeterRegistry(), this.clock, this.usage, this.transactionManager,
				mock(WebhookDispatch.class));
	}

	/** An upload as the lifecycle stores it: admission and insert in one transaction. */
	private Task upload(long size) {
		return inTransaction(() -> {
			this.usage.admitUpload(this.user, size);
			return this.aggregates.insert(Task.uploaded(UUID.randomUUID(), this.user, "song.wav", Format.WAV,
					Format.MP3, null, size, FileStorage.newStoredName("wav"), FileStorage.newStoredName("mp3"), true,
					null, now()));
		});
	}

	private <T> T inTransaction(Callable<T> work) {
		return new TransactionTemplate(this.transactionManager).execute(tx -> {
			try {
				return work.call();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private Instant now() {
		return this.clock.instant();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Limits {

		@Bean
		UserLimits userLimits() {
			return new UserLimits(3, DataSize.ofBytes(10_000), 4, 2);
		}

		@Bean
		SteppingClock clock() {
			return new SteppingClock();
		}

	}

	/** Real time, moved forward by the test (the upload window is an hour). */
	static final class SteppingClock extends Clock {

		private volatile Duration offset = Duration.ZERO;

		void advance(Duration by) {
			this.offset = this.offset.plus(by);
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
