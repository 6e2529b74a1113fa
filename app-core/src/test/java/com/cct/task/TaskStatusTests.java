package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class TaskStatusTests {

	@ParameterizedTest
	@EnumSource(TaskStatus.class)
	void readsBackItsOwnValue(TaskStatus status) {
		assertThat(status.value()).isEqualTo(status.name().toLowerCase());
		assertThat(TaskStatus.fromValue(status.value())).isSameAs(status);
		assertThat(TaskStatus.fromValue(status.name())).isSameAs(status);
		assertThat(status).hasToString(status.value());
	}

	@ParameterizedTest
	@ValueSource(strings = { "done", "", "processing ", "canceled" })
	void refusesUnknownValues(String value) {
		assertThatThrownBy(() -> TaskStatus.fromValue(value)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void onlyProcessedFailedAndCancelledAreFinal() {
		assertThat(TaskStatus.UPLOADED.isFinal()).isFalse();
		assertThat(TaskStatus.PROCESSING.isFinal()).isFalse();
		assertThat(TaskStatus.PROCESSED.isFinal()).isTrue();
		assertThat(TaskStatus.FAILED.isFinal()).isTrue();
		assertThat(TaskStatus.CANCELLED.isFinal()).isTrue();
	}

	@Test
	void travelsAsItsValueInJson() throws Exception {
		ObjectMapper json = new ObjectMapper();
		assertThat(json.writeValueAsString(TaskStatus.PROCESSING)).isEqualTo("\"processing\"");
		assertThat(json.readValue("\"cancelled\"", TaskStatus.class)).isEqualTo(TaskStatus.CANCELLED);
	}

}
