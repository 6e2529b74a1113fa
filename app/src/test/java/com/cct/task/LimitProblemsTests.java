package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

import com.cct.task.UsageLimitException.Limit;

class LimitProblemsTests {

	@Nested
	class Problems {

		@Test
		void tooManyUnfinishedTasksIsA429ThatSaysWhatToDo() {
			ErrorResponseException problem = LimitProblems
				.of(new UsageLimitException(Limit.ACTIVE_TASKS, 10, 10, 0, Duration.ofSeconds(30)), false);

			assertThat(problem.getStatusCode().value()).isEqualTo(429);
			assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:too-many-active-tasks");
			assertThat(problem.getBody().getDetail()).contains("10 unfinished tasks").endsWith("upload more.");
			assertThat(problem.getBody().getProperties()).containsEntry("limit", 10L).containsEntry("used", 10L);
			assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
		}

		@Test
		void aRefusedRetrySaysSo() {
			ErrorResponseException problem = LimitProblems
				.of(new UsageLimitException(Limit.ACTIVE_TASKS, 3, 3, 0, Duration.ofSeconds(30)), true);

			assertThat(problem.getBody().getDetail()).endsWith("retry this one.");
		}

		@Test
		void theUploadRateIsA429WaitingUntilTheOldestUploadLeavesTheHour() {
			ErrorResponseException problem = LimitProblems
				.of(new UsageLimitException(Limit.UPLOADS_PER_HOUR, 200, 200, 0, Duration.ofMillis(61_200)), false);

			assertThat(problem.getStatusCode().value()).isEqualTo(429);
			assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:upload-rate");
			assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("62");
			assertThat(problem.getBody().getDetail()).contains("200 files in the last hour").contains("62 seconds");
		}

		@Test
		void aFullStorageQuotaIsA413WithoutRetryAfter() {
			ErrorResponseException problem = LimitProblems.of(new UsageLimitException(Limit.STORAGE_QUOTA,
					9L * 1024 * 1024 * 1024 + 512L * 1024 * 1024, 10L * 1024 * 1024 * 1024, 1536L * 1024 * 1024, null),
					false);

			assertThat(problem.getStatusCode().value()).isEqualTo(413);
			assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:storage-quota");
			assertThat(problem.getBody().getDetail())
				.isEqualTo("Your files take 9.5 GB of your 10 GB; this file (1.5 GB) does not fit. "
						+ "Delete tasks you no longer need to make room.");
			assertThat(problem.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
		}

	}

	@Test
	void sizesReadAsPeopleWriteThem() {
		assertThat(LimitProblems.bytes(1)).isEqualTo("1 byte");
		assertThat(LimitProblems.bytes(1023)).isEqualTo("1023 bytes");
		assertThat(LimitProblems.bytes(1024)).isEqualTo("1 KB");
		assertThat(LimitProblems.bytes(1536)).isEqualTo("1.5 KB");
		assertThat(LimitProblems.bytes(300L * 1024 * 1024)).isEqualTo("300 MB");
		assertThat(LimitProblems.bytes(10L * 1024 * 1024 * 1024)).isEqualTo("10 GB");
	}

}
