package com.cct.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.cct.format.Format;
import com.cct.format.Quality;

class TaskResponseTests {

	private final UUID owner = UUID.randomUUID();

	@Nested
	class ProcessedFile {

		@Test
		void appearsWithItsLinkOnceTheTaskIsProcessed() {
			Task task = TaskFixtures.inStatus(TaskFixtures.uploaded(owner, "song.mp3", Format.MP3, Format.OGG),
					TaskStatus.PROCESSED);

			TaskResponse response = TaskResponse.of(task);

			assertThat(response.processedFile()).isEqualTo(task.processedFile());
			assertThat(response.links().processed()).isEqualTo("/api/files/" + task.processedFile());
			assertThat(response.processedSizeBytes()).isEqualTo(99L);
		}

		@ParameterizedTest
		@EnumSource(value = TaskStatus.class, names = "PROCESSED", mode = EnumSource.Mode.EXCLUDE)
		void isHiddenInEveryOtherStatus(TaskStatus status) {
			Task task = TaskFixtures.inStatus(TaskFixtures.uploaded(owner, "song.mp3", Format.MP3, Format.OGG), status);

			TaskResponse response = TaskResponse.of(task);

			assertThat(response.processedFile()).isNull();
			assertThat(response.links().processed()).isNull();
			assertThat(response.status()).isEqualTo(status.value());
		}

	}

	@Test
	void linksPointAtTheTaskItsOriginalAndItsEvents() {
		Task task = TaskFixtures.uploaded(this.owner, "song.mp3", Format.MP3, Format.OGG);

		TaskResponse.Links links = TaskResponse.of(task).links();

		assertThat(links.self()).isEqualTo("/api/tasks/" + task.id());
		assertThat(links.original()).isEqualTo("/api/files/" + task.originalFile());
		assertThat(links.events()).isEqualTo("/api/tasks/" + task.id() + "/events");
	}

	@Test
	void carriesTheTasksFieldsAsClientsSeeThem() {
		Task task = TaskFixtures.inStatus(TaskFixtures.uploaded(this.owner, "clip.mov", Format.MOV, Format.MP4),
				TaskStatus.FAILED);

		TaskResponse response = TaskResponse.of(task);

		assertThat(response.id()).isEqualTo(task.id());
		assertThat(response.fileName()).isEqualTo("clip.mov");
		assertThat(response.originalFormat()).isEqualTo("mov");
		assertThat(response.newFormat()).isEqualTo("mp4");
		assertThat(response.status()).isEqualTo("failed");
		assertThat(response.progress()).isEqualTo(10);
		assertThat(response.sizeBytes()).isEqualTo(1234);
		assertThat(response.error()).isEqualTo("ffmpeg failed");
		assertThat(response.createdAt()).isEqualTo(TaskFixtures.CREATED);
		assertThat(response.originalFile()).isEqualTo(task.originalFile());
	}

	@Test
	void theOriginalFormatOfAFileOfNoKnownFormatIsItsStoredExtension() {
		Task task = Task.uploaded(UUID.randomUUID(), this.owner, "backup.data", null, Format.TAR_GZ, null, 10,
				"0123456789abcdef0123456789abcdef.data", "0123456789abcdef0123456789abcdef.tar.gz", false, null,
				TaskFixtures.CREATED);

		assertThat(TaskResponse.of(task).originalFormat()).isEqualTo("data");
	}

	@Test
	void theQualityIsItsIdOrNone() {
		Task task = TaskFixtures.uploaded(this.owner, "song.mp3", Format.MP3, Format.OGG);

		assertThat(TaskResponse.of(task).quality()).isNull();
		assertThat(TaskResponse.of(TaskFixtures.withQuality(task, Quality.LOW)).quality()).isEqualTo("low");
	}

}
