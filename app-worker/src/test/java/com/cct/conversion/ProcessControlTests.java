package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ProcessControlTests {

	final ProcessControl control = new ProcessControl(null, Clock.systemUTC(), new ConversionSettings(
			Duration.ofMinutes(30), Duration.ofMillis(500), true, DataSize.ofGigabytes(4), DataSize.ofGigabytes(2), 1));

	@AfterEach
	void shutDown() {
		this.control.shutdown();
	}

	@Test
	void watchesOnlyWhileAConversionRuns() {
		assertThat(this.control.watching()).as("an idle worker has no timer").isFalse();
		ProcessScope first = this.control.open(UUID.randomUUID(), Duration.ofMinutes(1));
		ProcessScope second = this.control.open(UUID.randomUUID(), Duration.ofMinutes(1));
		assertThat(this.control.watching()).isTrue();

		this.control.close(first);
		assertThat(this.control.watching()).as("one still runs").isTrue();
		this.control.close(second);
		assertThat(this.control.watching()).isFalse();
	}

	@Test
	void killsAProcessPastItsDeadline() throws Exception {
		ProcessScope scope = this.control.open(UUID.randomUUID(), Duration.ofMillis(300));
		try {
			Process sleeper = scope.startReadingOutput(List.of("sleep", "30"), null);

			assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).as("killed by the watchdog at its deadline").isTrue();
			assertThat(scope.isExpired()).isTrue();
		}
		finally {
			this.control.close(scope);
		}
	}

}
