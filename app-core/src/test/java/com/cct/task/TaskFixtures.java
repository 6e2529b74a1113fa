package com.cct.task;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.cct.format.Format;
import com.cct.format.Quality;

/** Tasks as the database would hold them, with fresh ids. */
final class TaskFixtures {

	static final Instant CREATED = Instant.parse("2025-03-01T10:15:30.123456789Z");

	private TaskFixtures() {
	}

	static Task task(String fileName, Format source, Format target, TaskStatus status) {
		return task(fileName, source, target, status, true);
	}

	static Task task(String fileName, Format source, Format target, TaskStatus status, boolean notifyOwner) {
		String sourceExtension = source == null ? "bin" : source.extension();
		boolean started = status != TaskStatus.UPLOADED;
		boolean ended = status.isFinal();
		return new Task(UUID.randomUUID(), UUID.randomUUID(), fileName, source, target, Quality.LOW, status,
				status == TaskStatus.PROCESSED ? 100 : 0, 1234, status == TaskStatus.PROCESSED ? 567L : null,
				"0123456789abcdef0123456789abcdef." + sourceExtension,
				"fedcba9876543210fedcba9876543210." + target.extension(),
				status == TaskStatus.FAILED ? "The file is damaged." : null, notifyOwner, "key-1", CREATED,
				started ? CREATED.plus(2, ChronoUnit.SECONDS) : null, ended ? CREATED.plus(9, ChronoUnit.SECONDS) : null, 0);
	}

}
