package com.cct.task;

import java.time.Instant;
import java.util.UUID;

import com.cct.format.Format;
import com.cct.format.Quality;
import com.cct.storage.FileStorage;

/** Tasks for tests, built through the domain's own factory so they obey its rules. */
public final class TaskFixtures {

	public static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");

	private TaskFixtures() {
	}

	/** A freshly uploaded task: stored names with the source's (or the given raw) extension. */
	public static Task uploaded(UUID userId, String fileName, Format source, Format target) {
		String extension = source != null ? source.extension() : "bin";
		return Task.uploaded(UUID.randomUUID(), userId, fileName, source, target, null, 1234,
				FileStorage.newStoredName(extension), FileStorage.newStoredName(target.extension()), true, null,
				CREATED);
	}

	/** The same task in another status, with the progress and times that status has. */
	public static Task inStatus(Task task, TaskStatus status) {
		boolean started = status != TaskStatus.UPLOADED;
		boolean finished = status.isFinal();
		int progress = switch (status) {
			case UPLOADED -> 0;
			case PROCESSING -> 40;
			case PROCESSED -> 100;
			case FAILED, CANCELLED -> 10;
		};
		return new Task(task.id(), task.userId(), task.fileName(), task.source(), task.target(), task.quality(),
				status, progress, task.sizeBytes(), status == TaskStatus.PROCESSED ? 99L : null, task.originalFile(),
				task.processedFile(), status == TaskStatus.FAILED ? "ffmpeg failed" : null, task.notifyOwner(),
				task.idempotencyKey(), task.createdAt(), started ? CREATED.plusSeconds(1) : null,
				finished ? CREATED.plusSeconds(5) : null, 0);
	}

	public static Task withQuality(Task task, Quality quality) {
		return new Task(task.id(), task.userId(), task.fileName(), task.source(), task.target(), quality,
				task.status(), task.progress(), task.sizeBytes(), task.processedSizeBytes(), task.originalFile(),
				task.processedFile(), task.error(), task.notifyOwner(), task.idempotencyKey(), task.createdAt(),
				task.startedAt(), task.finishedAt(), task.crashes());
	}

}
