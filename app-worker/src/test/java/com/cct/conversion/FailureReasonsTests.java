package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.jobrunr.jobs.states.FailedState;
import org.junit.jupiter.api.Test;

class FailureReasonsTests {

	static final String GENERIC = "The conversion failed after 4 attempts because of an error on our side."
			+ " Please retry later.";

	@Test
	void aRejectedInputKeepsItsMessageForTheUser() {
		FailedState state = new FailedState("rejected", new RejectedInputException("The file holds no picture."));
		assertThat(FailureReasons.of(state)).isEqualTo("The file holds no picture.");
	}

	@Test
	void aDeadlineKeepsItsMessageForTheUser() {
		FailedState state = new FailedState("timeout", new DeadlineExceededException(Duration.ofMinutes(3)));
		assertThat(FailureReasons.of(state))
			.isEqualTo("The conversion took longer than its limit of 3 min and was stopped.");
	}

	@Test
	void anyOtherFailureIsSummarisedWithoutItsInternals() {
		FailedState state = new FailedState("io",
				new UncheckedIOException(new IOException("/data/3f2a/secret.part: No space left on device")));
		assertThat(FailureReasons.of(state)).isEqualTo(GENERIC).doesNotContain("/data", "space");
		assertThat(FailureReasons.of(new FailedState("npe", new NullPointerException("task.source()"))))
			.isEqualTo(GENERIC);
		assertThat(FailureReasons.of(new FailedState("io", new IOException("ffmpeg ran out of resources"))))
			.isEqualTo(GENERIC);
	}

	@Test
	void ourExceptionsAreNotRetriedByJobRunr() {
		assertThat(new RejectedInputException("no").isProblematicAndDoNotRetry()).isTrue();
		assertThat(new DeadlineExceededException(Duration.ofSeconds(5)).isProblematicAndDoNotRetry()).isTrue();
		assertThat(new FailedState("rejected", new RejectedInputException("no")).mustNotRetry()).isTrue();
	}

}
