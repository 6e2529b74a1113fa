package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.springframework.context.annotation.Import;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.cct.TestDatabase;
import com.cct.format.Format;
import com.cct.format.Quality;
import com.cct.storage.FileStorage;

/**
 * The guarded transitions against the real PostgreSQL and the real schema (Flyway): each leaves
 * only the states it names and returns the row it wrote; racing actors settle on one outcome.
 * Not transactional, so every statement commits as it does in the processes.
 */
@DataJdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import(TaskConverters.class)
class TaskRepositoryTests {

	private static final ExecutorService RACERS = Executors.newFixedThreadPool(2);

	@Autowired
	TaskRepository tasks;

	@Autowired
	JdbcAggregateTemplate aggregates;

	@Autowired
	JdbcTemplate jdbc;

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
	void storesTypedFormatsAndQualityAsTheirIds() {
		Task task = stored(Format.WAV, Format.MP3, Quality.LOW);
		assertThat(this.jdbc.queryForMap("select original_format, new_format, quality, status from tasks where id = ?",
				task.id()))
			.containsEntry("original_format", "wav")
			.containsEntry("new_format", "mp3")
			.containsEntry("quality", "low")
			.containsEntry("status", "uploaded");
		Task read = this.tasks.findById(task.id()).orElseThrow();
		assertThat(read.source()).isEqualTo(Format.WAV);
		assertThat(read.target()).isEqualTo(Format.MP3);
		assertThat(read.quality()).isEqualTo(Quality.LOW);
	}

	@Test
	void storesAFileOfNoKnownFormatWithoutASource() {
		Task task = this.aggregates.insert(Task.uploaded(UUID.randomUUID(), this.user, "report.pdf", null, Format.ZIP, null,
				10, FileStorage.newStoredName("pdf"), FileStorage.newStoredName("zip"), true, null, now()));
		Task read = this.tasks.findById(task.id()).orElseThrow();
		assertThat(read.source()).isNull();
		assertThat(read.originalFormatName()).isEqualTo("pdf");
		assertThat(this.jdbc.queryForObject("select original_format from tasks where id = ?", String.class, task.id()))
			.isNull();
	}

	/** The fair share is part of the guarded start: one statement, counted in PostgreSQL. */
	@Nested
	class FairShare {

		@Test
		void aQueuedTaskWaitsWhileItsOwnerHasItsShareRunningAndAnotherAccountWaitsWithFewer() {
			Task running = stored(Format.WAV, Format.MP3, null);
			Task next = stored(Format.WAV, Format.MP3, null);
			Task others = storedFor(TestDatabase.insertUser(jdbc), Format.WAV, Format.MP3, null);
			assertThat(tasks.markProcessingUnlessYielding(running.id(), now(), 1)).isPresent();

			assertThat(tasks.markProcessingUnlessYielding(next.id(), now(), 1)).isEmpty();
			assertThat(tasks.findCurrent(next.id()).orElseThrow().status()).as("untouched").isEqualTo(TaskStatus.UPLOADED);
			assertThat(tasks.findCurrent(next.id()).orElseThrow().startedAt()).isNull();
			assertThat(tasks.markProcessingUnlessYielding(others.id(), now(), 1)).as("the other account's turn")
				.isPresent();
			assertThat(tasks.markProcessingUnlessYielding(next.id(), now(), 2)).as("a larger share").isPresent();
		}

		@Test
		void withNobodyElseWaitingOneAccountMayUseEveryWorker() {
			jdbc.update("update tasks set status = 'failed' where status = 'uploaded' and user_id <> ?", user);
			Task first = stored(Format.WAV, Format.MP3, null);
			Task second = stored(Format.WAV, Format.MP3, null);
			assertThat(tasks.markProcessingUnlessYielding(first.id(), now(), 1)).isPresent();

			assertThat(tasks.markProcessingUnlessYielding(second.id(), now(), 1)).isPresent();
		}

		@Test
		void aTaskWhoseWorkerDiedRestartsWhateverTheShareAndZeroTurnsTheShareOff() {
			Task crashed = stored(Format.WAV, Format.MP3, null);
			Task queued = stored(Format.WAV, Format.MP3, null);
			storedFor(TestDatabase.insertUser(jdbc), Format.WAV, Format.MP3, null);
			tasks.markProcessingUnlessYielding(crashed.id(), now(), 1);

			Task restarted = tasks.markProcessingUnlessYielding(crashed.id(), now(), 1).orElseThrow();
			assertThat(restarted.crashes()).as("the open attempt counts as a crash").isEqualTo(1);
			assertThat(tasks.markProcessingUnlessYielding(queued.id(), now(), 0)).isPresent();
		}

		@Test
		void anEndedTaskDoesNotStart() {
			Task task = stored(Format.WAV, Format.MP3, null);
			tasks.markCancelled(task.id(), now());

			assertThat(tasks.markProcessingUnlessYielding(task.id(), now(), 0)).isEmpty();
		}

	}

	@Nested
	class Transitions {

		@Test
		void processingReturnsTheRowItWrote() {
			Task task = stored(Format.WAV, Format.MP3, null);
			Instant at = now();
			Task started = tasks.markProcessingUnlessYielding(task.id(), at, 0).orElseThrow();
			assertThat(started.status()).isEqualTo(TaskStatus.PROCESSING);
			assertThat(started.startedAt()).isEqualTo(at);
			assertThat(started.progress()).isZero();
		}

		@Test
		void theWatchdogFindsTheEndedAmongItsRunningTasks() {
			Task running = stored(Format.WAV, Format.MP3, null);
			Task cancelled = stored(Format.WAV, Format.MP3, null);
			tasks.markProcessingUnlessYielding(running.id(), now(), 0);
			tasks.markProcessingUnlessYielding(cancelled.id(), now(), 0);
			tasks.markCancelled(cancelled.id(), now());

			assertThat(tasks.findEndedAmong(List.of(running.id(), cancelled.id(), UUID.randomUUID())))
				.as("cancelled: yes; still processing or gone: no")
				.containsExactly(cancelled.id());
		}

		@Test
		void processedOnlyFromProcessing() {
			Task task = stored(Format.WAV, Format.MP3, null);
			assertThat(tasks.markProcessed(task.id(), 5, now())).isEmpty();
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			Task done = tasks.markProcessed(task.id(), 5, now()).orElseThrow();
			assertThat(done.status()).isEqualTo(TaskStatus.PROCESSED);
			assertThat(done.progress()).isEqualTo(100);
			assertThat(done.processedSizeBytes()).isEqualTo(5);
			assertThat(tasks.markProcessed(task.id(), 5, now())).as("a second run finds it processed").isEmpty();
		}

		@Test
		void aFinishedTaskCanNeitherFailNorBeCancelled() {
			Task task = stored(Format.WAV, Format.MP3, null);
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			tasks.markProcessed(task.id(), 5, now());
			assertThat(tasks.markFailed(task.id(), "late", now())).isEmpty();
			assertThat(tasks.markCancelled(task.id(), now())).isEmpty();
			assertThat(tasks.findById(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.PROCESSED);
		}

		@Test
		void failureKeepsItsReason() {
			Task task = stored(Format.WAV, Format.MP3, null);
			Task failed = tasks.markFailed(task.id(), "The file is damaged.", now()).orElseThrow();
			assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
			assertThat(failed.error()).isEqualTo("The file is damaged.");
			assertThat(failed.finishedAt()).isNotNull();
		}

		@Test
		void retryOnlyFromFailedOrCancelledAndClearsTheLastRun() {
			Task task = stored(Format.WAV, Format.MP3, null);
			assertThat(tasks.markForRetry(task.id())).isEmpty();
			tasks.markFailed(task.id(), "broken", now());
			Task again = tasks.markForRetry(task.id()).orElseThrow();
			assertThat(again.status()).isEqualTo(TaskStatus.UPLOADED);
			assertThat(again.error()).isNull();
			assertThat(again.finishedAt()).isNull();
			assertThat(again.startedAt()).isNull();
			tasks.markCancelled(task.id(), now());
			assertThat(tasks.markForRetry(task.id())).isPresent();
		}

		@Test
		void requeueOnlyFromProcessing() {
			Task task = stored(Format.WAV, Format.MP3, null);
			assertThat(tasks.markRequeued(task.id())).isEmpty();
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			tasks.updateProgress(task.id(), 40);
			Task queued = tasks.markRequeued(task.id()).orElseThrow();
			assertThat(queued.status()).isEqualTo(TaskStatus.UPLOADED);
			assertThat(queued.progress()).isZero();
		}

		@Test
		void progressOnlyGrowsAndOnlyWhileProcessing() {
			Task task = stored(Format.WAV, Format.MP3, null);
			assertThat(tasks.updateProgress(task.id(), 10)).isZero();
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			assertThat(tasks.updateProgress(task.id(), 30)).isOne();
			assertThat(tasks.updateProgress(task.id(), 20)).isZero();
			assertThat(tasks.findById(task.id()).orElseThrow().progress()).isEqualTo(30);
		}

		@Test
		void aProcessingTaskIsNotDeleted() {
			Task task = stored(Format.WAV, Format.MP3, null);
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			assertThat(tasks.deleteUnlessProcessing(task.id())).isZero();
			tasks.markCancelled(task.id(), now());
			assertThat(tasks.deleteUnlessProcessing(task.id())).isOne();
			assertThat(tasks.findById(task.id())).isEmpty();
		}

	}

	@Nested
	class Races {

		@RepeatedTest(5)
		void finishingAndCancellingAtOnceEndOneWay() throws Exception {
			Task task = stored(Format.WAV, Format.MP3, null);
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			List<Optional<Task>> outcomes = race(() -> tasks.markProcessed(task.id(), 5, now()),
					() -> tasks.markCancelled(task.id(), now()));
			assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
			TaskStatus winner = outcomes.stream().flatMap(Optional::stream).findFirst().orElseThrow().status();
			assertThat(tasks.findById(task.id()).orElseThrow().status()).isEqualTo(winner);
		}

		@RepeatedTest(5)
		void twoWorkersMarkingProcessingLeaveOneProcessingRow() throws Exception {
			Task task = stored(Format.WAV, Format.MP3, null);
			// a job re-run after its worker died restarts processing, so both may succeed; the row stays one
			List<Optional<Task>> outcomes = race(() -> tasks.markProcessingUnlessYielding(task.id(), now(), 0),
					() -> tasks.markProcessingUnlessYielding(task.id(), now(), 0));
			assertThat(outcomes).filteredOn(Optional::isPresent).isNotEmpty();
			assertThat(jdbc.queryForObject("select count(*) from tasks where id = ? and status = 'processing'",
					Integer.class, task.id())).isOne();
		}

		@RepeatedTest(5)
		void twoWorkersFinishingTheSameTaskFinishItOnce() throws Exception {
			Task task = stored(Format.WAV, Format.MP3, null);
			tasks.markProcessingUnlessYielding(task.id(), now(), 0);
			List<Optional<Task>> outcomes = race(() -> tasks.markProcessed(task.id(), 5, now()),
					() -> tasks.markProcessed(task.id(), 5, now()));
			assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
		}

		@RepeatedTest(5)
		void failingAndCancellingAQueuedTaskAtOnceEndOneWay() throws Exception {
			Task task = stored(Format.WAV, Format.MP3, null);
			List<Optional<Task>> outcomes = race(() -> tasks.markFailed(task.id(), "broken", now()),
					() -> tasks.markCancelled(task.id(), now()));
			assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
		}

	}

	private Task stored(Format source, Format target, Quality quality) {
		return storedFor(this.user, source, target, quality);
	}

	private Task storedFor(UUID owner, Format source, Format target, Quality quality) {
		return this.aggregates.insert(Task.uploaded(UUID.randomUUID(), owner, "in." + source.extension(), source,
				target, quality, 10, FileStorage.newStoredName(source.extension()),
				FileStorage.newStoredName(target.extension()), true, null, now()));
	}

	/** Runs both at the same instant (as far as two threads can) and returns both outcomes. */
	private static List<Optional<Task>> race(Callable<Optional<Task>> first, Callable<Optional<Task>> second)
			throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		List<Future<Optional<Task>>> runs = new ArrayList<>();
		for (Callable<Optional<Task>> racer : List.of(first, second)) {
			runs.add(RACERS.submit(() -> {
				start.await();
				return racer.call();
			}));
		}
		List<Optional<Task>> outcomes = new ArrayList<>();
		for (Future<Optional<Task>> run : runs) {
			outcomes.add(run.get());
		}
		return outcomes;
	}

	private static Instant now() {
		// PostgreSQL keeps microseconds
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
