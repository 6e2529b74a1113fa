package com.cct.task;

import java.time.Instant;
import java.util.UUID;

/** The task as clients see it (DESIGN.md's contract); {@code processedFile} appears once it exists. */
public record TaskResponse(UUID id, String fileName, String originalFormat, String newFormat, String quality,
		String status, int progress, long sizeBytes, Long processedSizeBytes, Instant createdAt,
		Instant startedAt, Instant finishedAt, String error, String originalFile, String processedFile,
		Links links) {

	public record Links(String self, String original, String processed, String events) {
	}

	public static TaskResponse of(Task task) {
		boolean done = task.status() == TaskStatus.PROCESSED;
		String processedFile = done ? task.processedFile() : null;
		String self = "/api/tasks/" + task.id();
		return new TaskResponse(task.id(), task.fileName(), task.originalFormatName(), task.target().id(),
				task.quality() == null ? null : task.quality().id(),
				task.status().value(), task.progress(), task.sizeBytes(), task.processedSizeBytes(), task.createdAt(),
				task.startedAt(), task.finishedAt(), task.error(), task.originalFile(), processedFile,
				new Links(self, "/api/files/" + task.originalFile(),
						processedFile == null ? null : "/api/files/" + processedFile, self + "/events"));
	}

}
