package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.filters.JobDefaultFilters;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.filters.JobPerformingFilters;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;

import com.cct.format.Format;
import com.cct.job.ConversionJob;
import com.cct.storage.FileStorage;
import com.cct.task.Task;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The fair share's decision and its filter among JobRunr's own, as the job server composes them: its
 * default retry filter, the one the Spring starter adds, then ours.
 */
class FairShareTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final FairShare fairShare = new FairShare(settings(1), this.meters);

	private final Task queued = Task.uploaded(UUID.randomUUID(), UUID.randomUUID(), "song.wav", Format.WAV, Format.MP3,
			null, 100, FileStorage.newStoredName("wav"), FileStorage.newStoredName("mp3"), true, null, Instant.now());

	/** The decision itself is the guarded start in SQL (TaskRepositoryTests.FairShare, on PostgreSQL). */
	@Nested
	class Yielding {

		@Test
		void aYieldIsRememberedForTheFilterOnceAndCounted() {
			fairShare.yielded(queued);

			assertThat(fairShare.takeYield(queued.id())).isTrue();
			assertThat(fairShare.takeYield(queued.id())).as("asked once").isFalse();
			assertThat(meters.counter("cct.conversions.yielded").count()).isEqualTo(1.0);
		}

		@Test
		void aTaskThatDidNotYieldIsLeftAlone() {
			assertThat(fairShare.takeYield(queued.id())).isFalse();
		}

		@Test
		void theShareIsTheSetting() {
			assertThat(fairShare.perUser()).isEqualTo(1);
			assertThat(new FairShare(settings(0), meters).perUser()).isZero();
		}

	}

	@Nested
	class Filter {

		@Test
		void aJobThatYieldedIsScheduledAFewSecondsLaterWithoutAFailure() {
			fairShare.yielded(queued);
			Job job = running();

			job.succeeded();
			elect(job);

			assertThat(job.getState()).isEqualTo(StateName.SCHEDULED);
			assertThat(job.getJobStates()).noneMatch(FailedState.class::isInstance);
			Instant at = job.<ScheduledState>getJobState().getScheduledAt();
			assertThat(at).isBetween(Instant.now().plus(FairShare.YIELD_DELAY).minusSeconds(1),
					Instant.now().plus(FairShare.YIELD_DELAY));
		}

		@Test
		void aJobThatRanSucceeds() {
			Job job = running();

			job.succeeded();
			elect(job);

			assertThat(job.getState()).isEqualTo(StateName.SUCCEEDED);
		}

		@Test
		void aFailureIsRetriedOnceByJobRunrsRetryFilterNotTwice() {
			Job job = running();

			job.failed("An exception occurred", new IllegalStateException("disk full"));
			elect(job);

			assertThat(job.getState()).isEqualTo(StateName.SCHEDULED);
			assertThat(job.getJobStates()).filteredOn(ScheduledState.class::isInstance).hasSize(1);
		}

		private Job running() {
			JobDetails details = new JobDetails(ConversionJob.class.getName(), null, "convert",
					List.of(new JobParameter(UUID.class, queued.id())));
			return new Job(queued.id(), 2, details,
					new ArrayList<>(List.of(new EnqueuedState(), new ProcessingState(UUID.randomUUID(), "worker"))),
					new ConcurrentHashMap<>());
		}

		private void elect(Job job) {
			StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("fairShare", fairShare));
			List<JobFilter> filters = List.of(new RetryFilter(10, 3), new FairShareFilter(beans.getBeanProvider(FairShare.class)));
			new JobPerformingFilters(job, new JobDefaultFilters(filters)).runOnStateElectionFilter();
		}

	}

	private static ConversionSettings settings(int userRunningTasks) {
		return new ConversionSettings(Duration.ofMinutes(30), Duration.ofMillis(500), true, DataSize.ofGigabytes(4),
				DataSize.ofGigabytes(2), userRunningTasks);
	}

}
