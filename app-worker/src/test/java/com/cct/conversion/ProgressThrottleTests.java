package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class ProgressThrottleTests {

	/** Long enough that no second update can pass in a test. */
	static final Duration LONG = Duration.ofSeconds(10);

	final List<Integer> published = new CopyOnWriteArrayList<>();

	@Test
	void publishesTheFirstWholePercent() {
		ProgressThrottle throttle = live(LONG);
		throttle.accept(0.126);
		assertThat(this.published).containsExactly(12);
	}

	@Test
	void aFailingPublisherDoesNotStopTheConversion() {
		ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO, percent -> {
			if (percent == 10) {
				throw new IllegalStateException("Redis away");
			}
			this.published.add(percent);
		}, Duration.ZERO, percent -> {
			throw new IllegalStateException("database away");
		});
		throttle.accept(0.10);
		throttle.accept(0.20);
		assertThat(this.published).containsExactly(20);
	}

	@Test
	void publishesAtMostOncePerInterval() {
		ProgressThrottle throttle = live(LONG);
		throttle.accept(0.10);
		throttle.accept(0.20);
		throttle.accept(0.50);
		throttle.accept(0.90);
		assertThat(this.published).containsExactly(10);
	}

	@Test
	void publishesAgainOnceTheIntervalHasPassed() {
		ProgressThrottle throttle = live(Duration.ofMillis(50));
		throttle.accept(0.10);
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			throttle.accept(0.30);
			assertThat(this.published).containsExactly(10, 30);
		});
	}

	@Test
	void publishesOnlyWhenTheWholePercentGrows() {
		ProgressThrottle throttle = live(Duration.ZERO);
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
		ProgressThrottle throttle = live(Duration.ZERO);
		throttle.accept(0.0);
		throttle.accept(0.009);
		throttle.accept(1.0);
		throttle.accept(2.5);
		assertThat(this.published).containsExactly(99);
	}

	@Test
	void theDurableStreamWaitsItsIntervalFromTheStartAndThenFollowsAtItsOwnPace() {
		List<Integer> durable = new CopyOnWriteArrayList<>();
		ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO, this.published::add, Duration.ofMillis(200),
				durable::add);
		throttle.accept(0.10);
		throttle.accept(0.20);
		assertThat(this.published).containsExactly(10, 20);
		assertThat(durable).as("a conversion shorter than the interval writes nothing durable").isEmpty();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
			throttle.accept(0.30);
			assertThat(durable).containsExactly(30);
		});
		throttle.accept(0.40);
		assertThat(durable).as("at most once per interval").containsExactly(30);
		assertThat(this.published).endsWith(30, 40);
	}

	ProgressThrottle live(Duration interval) {
		return new ProgressThrottle(interval, this.published::add, LONG, percent -> {
		});
	}

}
