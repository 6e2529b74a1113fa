package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.ErrorResponseException;

class TaskIdsTests {

	private static final String ID = "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f";

	@Test
	void aCanonicalUuidIsParsed() {
		assertThat(TaskIds.parse(ID)).isEqualTo(UUID.fromString(ID));
	}

	@Test
	void anUpperCaseUuidNamesTheSameTask() {
		assertThat(TaskIds.parse(ID.toUpperCase())).isEqualTo(UUID.fromString(ID));
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-a-uuid", "", "3f2b8c1e9d4a4b7e8c2f1a2b3c4d5e6f", "1-1-1-1-1",
			"3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f0", "{3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f}",
			" 3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f", "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6", "03f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6" })
	void anythingElseIsANotFoundProblem(String id) {
		ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class, () -> TaskIds.parse(id));

		assertThat(problem).as("refused: '%s'", id).isNotNull();
		assertThat(problem.getStatusCode().value()).isEqualTo(404);
		assertThat(problem.getBody().getType()).hasToString("urn:cct:problem:not-found");
	}

}
