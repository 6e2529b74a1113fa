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
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;

class UploadSpoolSweeperTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	@TempDir
	Path root;

	@Test
	void deletesAbandonedUploadFilesOlderThanTheMaximumAgeAndTheirEmptyFolder() throws IOException {
		Path crashed = file(taskFolder(), ".part-upload-0b1c.tmp", Duration.ofHours(3));
		Path inProgress = file(taskFolder(), ".part-upload-0b1d.tmp", Duration.ofSeconds(5));
		Path conversion = file(taskFolder(), ".part-0b1e.ogg", Duration.ofDays(3));
		Path original = file(taskFolder(), "0b1f.mp3", Duration.ofDays(3));

		assertThat(sweeper(Duration.ofMinutes(30), Duration.ofHours(1)).sweep()).isEqualTo(1);

		assertThat(crashed).doesNotExist();
		assertThat(crashed.getParent()).doesNotExist();
		assertThat(inProgress).exists();
		assertThat(conversion).exists();
		assertThat(original).exists();
	}

	@Test
	void aFolderHoldingMoreThanTheAbandonedFileIsKept() throws IOException {
		Path folder = taskFolder();
		Path crashed = file(folder, ".part-upload-0b1c.tmp", Duration.ofHours(3));
		Path original = file(folder, "0b1f.mp3", Duration.ofDays(3));

		assertThat(sweeper(Duration.ofMinutes(30), Duration.ofHours(1)).sweep()).isEqualTo(1);

		assertThat(crashed).doesNotExist();
		assertThat(original).exists();
	}

	@Test
	void deletesOldSpoolFilesOfTomcatsMultipartParser() throws IOException {
		Path incoming = Files.createDirectories(this.root.resolve(".incoming"));
		Path crashed = file(incoming, "upload_0b1c_1.tmp", Duration.ofHours(3));
		Path notOurs = file(incoming, "resumable-upload.part", Duration.ofDays(3));

		assertThat(sweeper(Duration.ofMinutes(30), Duration.ofHours(1)).sweep()).isEqualTo(1);

		assertThat(crashed).doesNotExist();
		assertThat(notOurs).exists();
	}

	@Test
	void theMaximumAgeIsNeverShorterThanTwiceTheUploadDeadline() throws IOException {
		Path slowButAlive = file(taskFolder(), ".part-upload-0b1c.tmp", Duration.ofMinutes(90));

		UploadSpoolSweeper sweeper = sweeper(Duration.ofHours(1), Duration.ofMinutes(10));

		assertThat(sweeper.maxAge()).isEqualTo(Duration.ofHours(2));
		assertThat(sweeper.sweep()).isZero();
		assertThat(slowButAlive).exists();
	}

	@Test
	void aMissingStorageRootIsNoError() {
		assertThat(new UploadSpoolSweeper(new FileStorage(new StorageSettings(this.root.resolve("absent"))),
				settings(Duration.ofMinutes(30), Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC))
			.sweep()).isZero();
	}

	private UploadSpoolSweeper sweeper(Duration timeout, Duration maxAge) {
		return new UploadSpoolSweeper(new FileStorage(new StorageSettings(this.root)), settings(timeout, maxAge),
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static UploadGuardSettings settings(Duration timeout, Duration maxAge) {
		return new UploadGuardSettings(timeout, DataSize.ofKilobytes(1), Duration.ofSeconds(10), 100, maxAge);
	}

	private Path taskFolder() throws IOException {
		return Files.createDirectories(this.root.resolve(UUID.randomUUID().toString()).resolve(UUID.randomUUID().toString()));
	}

	private static Path file(Path folder, String name, Duration age) throws IOException {
		Path file = Files.writeString(folder.resolve(name), "partial upload");
		Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
		return file;
	}

}
