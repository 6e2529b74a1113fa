package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.jobrunr.jobs.context.JobDashboardProgressBar.JobDashboardProgress;
import org.junit.jupiter.api.Test;

class ProgressThrottleTests {

	/** Long enough that no second update can pass in a test. */
	static final Duration LONG = Duration.ofSeconds(10);

	final List<Integer> published = new CopyOnWriteArrayList<>();

	@Test
	void publishesTheFirstWholePercent() {
		ProgressThrottle throttle = new ProgressThrottle(LONG, this.published::add, null);
		throttle.accept(0.126);
		assertThat(this.published).containsExactly(12);
	}

	@Test
	void aFailingPublisherDoesNotStopTheConversion() {
		ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO, percent -> {
			if (percent == 10) {
				throw new IllegalStateException("database away");
			}
			this.published.add(percent);
		}, null);
		throttle.accept(0.10);
		throttle.accept(0.20);
		assertThat(this.published).containsExactly(20);
	}

	@Test
	void publishesAtMostOncePerInterval() {
		ProgressThrottle throttle = new ProgressThrottle(LONG, this.published::add, null);
		throttle.accept(0.10);
		throttle.accept(0.20);
		throttle.accept(0.50);
		throttle.accept(0.90);
		assertThat(this.published).containsExactly(10);
	}

	@Test
	void publishesAgainOnceTheIntervalHasPassed() {
		ProgressThrottle throttle = new ProgressThrottle(Duration.ofMillis(50), this.published::add, null);
		throttle.accept(0.10);
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			throttle.accept(0.30);
			assertThat(this.published).containsExactly(10, 30);
		});
	}

	@Test
	void publishesOnlyWhenTheWholePercentGrows() {
		ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO, this.published::add, null);
		throttle.accept(0.101);
		throttle.accept(0.109);
		throttle.accept(0.05);
		throttle.accept(0.10);
		throttle.accept(0.11);
		throttle.accept(0.0);
		assertThat(this.published).containsExactly(10, 11);
	}

	@Test
	void neverPublishesZeroOrAHundred() {
		ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO, this.published::add, null);
		throttle.accept(0.0);
		throttle.accept(0.009);
		throttle.accept(1.0);
		throttle.accept(2.5);
		assertThat(this.published).containsExactly(99);
	}

	@Test
	void movesTheJobRunrProgressBarToo() {
		JobDashboardProgressBar bar = new JobDashboardProgressBar(new JobDashboardProgress(100L));
		ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO, this.published::add, bar);
		throttle.accept(0.42);
		assertThat(bar.getProgressAsPercentage()).isEqualTo(42);
		throttle.accept(0.30);
		assertThat(bar.getProgressAsPercentage()).isEqualTo(42);
		throttle.accept(0.995);
		assertThat(bar.getProgressAsPercentage()).isEqualTo(99);
		assertThat(this.published).containsExactly(42, 99);
	}

}
