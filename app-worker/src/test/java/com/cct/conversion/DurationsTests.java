package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTests {

	@ParameterizedTest
	@CsvSource({ "PT0S, 1 s", "PT0.4S, 1 s", "PT1S, 1 s", "PT59S, 59 s", "PT119.9S, 119 s", "PT2M, 2 min",
			"PT2M59S, 2 min", "PT30M, 30 min", "PT119M, 119 min", "PT2H, 2 h", "PT6H, 6 h", "PT25H, 25 h" })
	void readsAsSecondsMinutesOrHours(Duration duration, String expected) {
		assertThat(Durations.readable(duration)).isEqualTo(expected);
	}

}
