package com.cct.task;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One upload and its conversion. {@code originalFile} and {@code processedFile} are random single
 * path segments chosen at upload time; they name the files inside the task's folder and are the
 * only handles clients use to download.
 */
@Table("tasks")
public record Task(@Id UUID id, UUID userId, String fileName, String originalFormat, String newFormat,
		String quality, TaskStatus status, int progress, long sizeBytes, Long processedSizeBytes,
		String originalFile, String processedFile, String error, boolean notifyOwner, String idempotencyKey,
		Instant createdAt, Instant startedAt, Instant finishedAt) {

	public boolean isOwnedBy(UUID user) {
		return this.userId.equals(user);
	}

	public Task withProgress(int value) {
		return new Task(id, userId, fileName, originalFormat, newFormat, quality, status, value, sizeBytes,
				processedSizeBytes, originalFile, processedFile, error, notifyOwner, idempotencyKey, createdAt, startedAt,
				finishedAt);
	}

}
