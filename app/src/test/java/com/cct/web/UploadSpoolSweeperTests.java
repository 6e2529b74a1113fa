package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.util.unit.DataSize;

class UploadSpoolSweeperTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	@TempDir
	Path spool;

	@Test
	void deletesSpoolFilesOlderThanTheMaximumAgeAndKeepsTheRest() throws IOException {
		Path crashed = file("upload_0b1c_1.tmp", Duration.ofHours(3));
		Path inProgress = file("upload_0b1c_2.tmp", Duration.ofSeconds(5));
		Path notOurs = file("resumable-upload.part", Duration.ofDays(3));

		assertThat(sweeper(Duration.ofMinutes(30), Duration.ofHours(1)).sweep()).isEqualTo(1);

		assertThat(crashed).doesNotExist();
		assertThat(inProgress).exists();
		assertThat(notOurs).exists();
	}

	@Test
	void theMaximumAgeIsNeverShorterThanTwiceTheUploadDeadline() throws IOException {
		Path slowButAlive = file("upload_0b1c_3.tmp", Duration.ofMinutes(90));

		UploadSpoolSweeper sweeper = sweeper(Duration.ofHours(1), Duration.ofMinutes(10));

		assertThat(sweeper.maxAge()).isEqualTo(Duration.ofHours(2));
		assertThat(sweeper.sweep()).isZero();
		assertThat(slowButAlive).exists();
	}

	@Test
	void aMissingSpoolFolderIsNoError() {
		MultipartProperties multipart = new MultipartProperties();
		multipart.setLocation(this.spool.resolve("absent").toString());

		assertThat(new UploadSpoolSweeper(multipart, settings(Duration.ofMinutes(30), Duration.ofHours(1)),
				Clock.fixed(NOW, ZoneOffset.UTC)).sweep()).isZero();
	}

	private UploadSpoolSweeper sweeper(Duration timeout, Duration maxAge) {
		MultipartProperties multipart = new MultipartProperties();
		multipart.setLocation(this.spool.toString());
		return new UploadSpoolSweeper(multipart, settings(timeout, maxAge), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static UploadGuardSettings settings(Duration timeout, Duration maxAge) {
		return new UploadGuardSettings(timeout, DataSize.ofKilobytes(1), Duration.ofSeconds(10), 100, maxAge);
	}

	private Path file(String name, Duration age) throws IOException {
		Path file = Files.writeString(this.spool.resolve(name), "partial upload");
		Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
		return file;
	}

}
