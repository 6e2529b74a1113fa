package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.cct.format.Format;
import com.cct.format.Quality;

class TaskConvertersTests {

	@ParameterizedTest
	@EnumSource(TaskStatus.class)
	void storesTheStatusAsTheWordTheSchemaChecks(TaskStatus status) {
		String text = new TaskConverters.StatusToText().convert(status);
		assertThat(text).isEqualTo(status.value());
		assertThat(new TaskConverters.TextToStatus().convert(text)).isSameAs(status);
	}

	@Test
	void refusesAStatusTheSchemaDoesNotKnow() {
		assertThatThrownBy(() -> new TaskConverters.TextToStatus().convert("paused"))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@ParameterizedTest
	@EnumSource(Format.class)
	void storesFormatsByTheirId(Format format) {
		String text = new TaskConverters.FormatToText().convert(format);
		assertThat(text).isEqualTo(format.id());
		assertThat(new TaskConverters.TextToFormat().convert(text)).isSameAs(format);
	}

	@Test
	void readsAnAliasStoredByAnOlderVersionAsItsFormat() {
		assertThat(new TaskConverters.TextToFormat().convert("acc")).isSameAs(Format.AAC);
	}

	@Test
	void readsASourceTheServiceNoLongerKnowsAsAnyFile() {
		assertThat(new TaskConverters.TextToFormat().convert("realmedia")).isNull();
	}

	@ParameterizedTest
	@EnumSource(Quality.class)
	void storesQualityByItsName(Quality quality) {
		String text = new TaskConverters.QualityToText().convert(quality);
		assertThat(text).isEqualTo(quality.id());
		assertThat(new TaskConverters.TextToQuality().convert(text)).isSameAs(quality);
	}

	@Test
	void readsAnUnknownQualityAsNone() {
		assertThat(new TaskConverters.TextToQuality().convert("ultra")).isNull();
	}

	@Test
	void registersEveryConverterWithSpringData() {
		assertThat(new TaskConverters().userConverters()).hasSize(6)
			.hasAtLeastOneElementOfType(TaskConverters.StatusToText.class)
			.hasAtLeastOneElementOfType(TaskConverters.TextToStatus.class)
			.hasAtLeastOneElementOfType(TaskConverters.FormatToText.class)
			.hasAtLeastOneElementOfType(TaskConverters.TextToFormat.class)
			.hasAtLeastOneElementOfType(TaskConverters.QualityToText.class)
			.hasAtLeastOneElementOfType(TaskConverters.TextToQuality.class);
	}

}
