package com.cct.task;

import static com.cct.task.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.cct.format.ConversionMatrix.Operation;
import com.cct.format.Format;
import com.cct.format.Quality;

class TaskTests {

	static Task with(UUID id, UUID userId, Format source, Format target, TaskStatus status, int progress) {
		return new Task(id, userId, "a", source, target, null, status, progress, 1, null,
				"0123456789abcdef0123456789abcdef.bin", "0123456789abcdef0123456789abcdef.zip", null, false, null,
				Instant.now(), null, null, 0);
	}

	@Nested
	class Guards {

		@Test
		void refusesATaskWithoutIdOwnerTargetOrStatus() {
			UUID id = UUID.randomUUID();
			assertThatThrownBy(() -> with(null, id, Format.MP3, Format.OGG, TaskStatus.UPLOADED, 0))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("id");
			assertThatThrownBy(() -> with(id, null, Format.MP3, Format.OGG, TaskStatus.UPLOADED, 0))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("owner");
			assertThatThrownBy(() -> with(id, id, Format.MP3, null, TaskStatus.UPLOADED, 0))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("target");
			assertThatThrownBy(() -> with(id, id, Format.MP3, Format.OGG, null, 0))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("status");
		}

		@ParameterizedTest
		@ValueSource(ints = { -1, 101, Integer.MIN_VALUE, 1000 })
		void refusesProgressOutsideAPercentage(int progress) {
			assertThatThrownBy(
					() -> with(UUID.randomUUID(), UUID.randomUUID(), Format.MP3, Format.OGG, TaskStatus.PROCESSING,
							progress))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("percentage");
		}

		@ParameterizedTest
		@ValueSource(ints = { 0, 1, 99, 100 })
		void acceptsProgressWithinAPercentage(int progress) {
			assertThat(with(UUID.randomUUID(), UUID.randomUUID(), Format.MP3, Format.OGG, TaskStatus.PROCESSING,
					progress).progress()).isEqualTo(progress);
		}

		@Test
		void refusesAnImpossiblePair() {
			assertThatThrownBy(() -> task("a.mp3", Format.MP3, Format.PNG, TaskStatus.UPLOADED))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("no conversion from mp3 to png");
			assertThatThrownBy(() -> task("a.png", Format.PNG, Format.MP4, TaskStatus.UPLOADED))
				.isInstanceOf(IllegalArgumentException.class);
			assertThatThrownBy(() -> task("a.zip", Format.ZIP, Format.MP3, TaskStatus.UPLOADED))
				.isInstanceOf(IllegalArgumentException.class);
		}

		@Test
		void refusesAFileOfNoKnownFormatForAMediaTarget() {
			assertThatThrownBy(() -> task("a.pdf", null, Format.MP4, TaskStatus.UPLOADED))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("no conversion from null to mp4");
		}

	}

	@Nested
	class Rules {

		@ParameterizedTest
		@EnumSource(TaskStatus.class)
		void cancellableOnlyBeforeItEnds(TaskStatus status) {
			assertThat(task("a.mp3", Format.MP3, Format.OGG, status).cancellable()).isEqualTo(!status.isFinal());
		}

		@ParameterizedTest
		@EnumSource(TaskStatus.class)
		void retryableOnlyWhenFailedOrCancelled(TaskStatus status) {
			assertThat(task("a.mp3", Format.MP3, Format.OGG, status).retryable())
				.isEqualTo(status == TaskStatus.FAILED || status == TaskStatus.CANCELLED);
		}

		@ParameterizedTest
		@EnumSource(TaskStatus.class)
		void deletableUnlessProcessing(TaskStatus status) {
			assertThat(task("a.mp3", Format.MP3, Format.OGG, status).deletable())
				.isEqualTo(status != TaskStatus.PROCESSING);
		}

		@ParameterizedTest
		@EnumSource(TaskStatus.class)
		void mailsAWillingOwnerAboutResultsAndFailuresOnly(TaskStatus status) {
			assertThat(task("a.mp3", Format.MP3, Format.OGG, status, true).mailsOwner())
				.isEqualTo(status == TaskStatus.PROCESSED || status == TaskStatus.FAILED);
			assertThat(task("a.mp3", Format.MP3, Format.OGG, status, false).mailsOwner()).isFalse();
		}

		@Test
		void isOwnedByItsUserOnly() {
			Task task = task("a.mp3", Format.MP3, Format.OGG, TaskStatus.UPLOADED);
			assertThat(task.isOwnedBy(task.userId())).isTrue();
			assertThat(task.isOwnedBy(UUID.randomUUID())).isFalse();
		}

	}

	@Test
	void knowsItsOperation() {
		assertThat(task("a.mp4", Format.MP4, Format.MP3, TaskStatus.UPLOADED).operation()).isEqualTo(Operation.MEDIA);
		assertThat(task("a.pdf", null, Format.ZIP, TaskStatus.UPLOADED).operation()).isEqualTo(Operation.PACK);
		assertThat(task("a.png", Format.PNG, Format.TAR_XZ, TaskStatus.UPLOADED).operation())
			.isEqualTo(Operation.PACK);
		assertThat(task("a.tgz", Format.TAR_GZ, Format.ZIP, TaskStatus.UPLOADED).operation())
			.isEqualTo(Operation.REPACK);
	}

	@Nested
	class OriginalFormatName {

		@Test
		void isTheSourceIdWhenKnown() {
			assertThat(task("a.tgz", Format.TAR_GZ, Format.ZIP, TaskStatus.UPLOADED).originalFormatName())
				.isEqualTo("tar.gz");
			assertThat(task("clip.m4v", Format.MP4, Format.WEBM, TaskStatus.UPLOADED).originalFormatName())
				.isEqualTo("mp4");
		}

		@Test
		void isTheStoredExtensionForAFileOfNoKnownFormat() {
			Task task = Task.uploaded(UUID.randomUUID(), UUID.randomUUID(), "report.pdf", null, Format.ZIP, null, 10,
					"0123456789abcdef0123456789abcdef.pdf", "0123456789abcdef0123456789abcdef.zip", false, null,
					Instant.now());
			assertThat(task.originalFormatName()).isEqualTo("pdf");
		}

	}

	@Test
	void uploadedTaskWaitsWithNothingDone() {
		Instant now = Instant.now();
		UUID id = UUID.randomUUID();
		UUID owner = UUID.randomUUID();
		Task task = Task.uploaded(id, owner, "song.mp3", Format.MP3, Format.OGG, Quality.HIGH, 42,
				"0123456789abcdef0123456789abcdef.mp3", "0123456789abcdef0123456789abcdef.ogg", true, "k", now);
		assertThat(task.id()).isEqualTo(id);
		assertThat(task.userId()).isEqualTo(owner);
		assertThat(task.status()).isEqualTo(TaskStatus.UPLOADED);
		assertThat(task.progress()).isZero();
		assertThat(task.quality()).isEqualTo(Quality.HIGH);
		assertThat(task.sizeBytes()).isEqualTo(42);
		assertThat(task.createdAt()).isEqualTo(now);
		assertThat(task.processedSizeBytes()).isNull();
		assertThat(task.error()).isNull();
		assertThat(task.startedAt()).isNull();
		assertThat(task.finishedAt()).isNull();
		assertThat(task.notifyOwner()).isTrue();
		assertThat(task.idempotencyKey()).isEqualTo("k");
	}

	@Test
	void withProgressChangesTheProgressOnly() {
		Task task = task("a.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSING);
		Task moved = task.withProgress(42);
		assertThat(moved.progress()).isEqualTo(42);
		assertThat(moved).usingRecursiveComparison().ignoringFields("progress").isEqualTo(task);
		assertThat(task.progress()).isZero();
		assertThatThrownBy(() -> task.withProgress(101)).isInstanceOf(IllegalArgumentException.class);
	}

}
