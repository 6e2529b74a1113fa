package com.cct.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class QualityTests {

	@ParameterizedTest
	@CsvSource({ "low, LOW", "LOW, LOW", "' Medium ', MEDIUM", "high, HIGH", "hIgH, HIGH" })
	void readsItsIdIgnoringCaseAndSpaces(String value, Quality expected) {
		assertThat(Quality.fromId(value)).contains(expected);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "  ", "ultra", "lo", "best", "0" })
	void readsNothingElse(String value) {
		assertThat(Quality.fromId(value)).isEmpty();
	}

	@Test
	void itsIdIsTheLowerCaseName() {
		assertThat(Quality.LOW.id()).isEqualTo("low");
		assertThat(Quality.MEDIUM).hasToString("medium");
		assertThat(Quality.HIGH.id()).isEqualTo("high");
	}

	@Test
	void travelsAsItsIdInJson() throws Exception {
		ObjectMapper json = new ObjectMapper();
		assertThat(json.writeValueAsString(Quality.LOW)).isEqualTo("\"low\"");
		assertThat(json.readValue("\"medium\"", Quality.class)).isEqualTo(Quality.MEDIUM);
	}

}
