package com.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class ArchiveSettingsTests {

	@Test
	void defaultsWhenNothingIsSet() {
		ArchiveSettings settings = bind(Map.of());

		assertThat(settings.maxTotalSize()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(settings.maxEntries()).isEqualTo(10_000);
		assertThat(settings.maxRatio()).isEqualTo(100);
		assertThat(settings.readableTotalSize()).isEqualTo("2 GB");
	}

	@Test
	void bindsTheDocumentedProperties() {
		ArchiveSettings settings = bind(
				Map.of("cct.archive.max-total-size", "500MB", "cct.archive.max-entries", "42", "cct.archive.max-ratio", "7"));

		assertThat(settings.maxTotalSize()).isEqualTo(DataSize.ofMegabytes(500));
		assertThat(settings.maxEntries()).isEqualTo(42);
		assertThat(settings.maxRatio()).isEqualTo(7);
		assertThat(settings.readableTotalSize()).isEqualTo("500 MB");
	}

	@Test
	void ratioLimitNeverFallsBelowTheFreeAllowanceNorOverflows() {
		ArchiveSettings settings = ArchiveSettings.defaults();

		assertThat(settings.ratioLimit(100)).isEqualTo(ArchiveSettings.RATIO_FREE_BYTES);
		assertThat(settings.ratioLimit(1_000_000)).isEqualTo(100_000_000);
		assertThat(settings.ratioLimit(Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
	}

	private static ArchiveSettings bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("cct.archive",
				ArchiveSettings.class);
	}

}
