package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadGuardConfigurationTests {

	private static final long MB = 1024 * 1024;

	@Test
	void halfTheHeapBoundsTheOpenConnections() {
		assertThat(UploadGuardConfiguration.maxConnections(256 * MB, 0)).isEqualTo(682);
		assertThat(UploadGuardConfiguration.maxConnections(512 * MB, 0)).isEqualTo(1365);
	}

	@Test
	void aLargeHeapStopsAtTomcatsDefaultAndATinyOneStillTakesSome() {
		assertThat(UploadGuardConfiguration.maxConnections(8192 * MB, 0)).isEqualTo(8192);
		assertThat(UploadGuardConfiguration.maxConnections(16 * MB, 0)).isEqualTo(64);
	}

	@Test
	void aConfiguredNumberIsTaken() {
		assertThat(UploadGuardConfiguration.maxConnections(256 * MB, 20_000)).isEqualTo(20_000);
		assertThat(UploadGuardConfiguration.maxConnections(8192 * MB, 100)).isEqualTo(100);
	}

}
