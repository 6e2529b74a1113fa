package com.cct.task;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.util.Assert;

import com.cct.format.ConversionMatrix;
import com.cct.format.ConversionMatrix.Operation;
import com.cct.format.Format;
import com.cct.format.Quality;

/**
 * One upload and its conversion, with the rules of its lifecycle. {@code source} is empty for a
 * file of no known format (it can only be packed into an archive). {@code originalFile} and
 * {@code processedFile} are random single path segments chosen at upload time; they name the files
 * inside the task's folder and are the only handles clients use to download. {@code crashes} counts
 * the attempts whose worker died while running them.
 */
@Table("tasks")
public record Task(@Id UUID id, UUID userId, String fileName, @Column("original_format") Format source,
		@Column("new_format") Format target, Quality quality, TaskStatus status, int progress, long sizeBytes,
		Long processedSizeBytes, String originalFile, String processedFile, String error, boolean notifyOwner,
		String idempotencyKey, Instant createdAt, Instant startedAt, Instant finishedAt, int crashes) {

	/** A task that took its converter down this often is failed rather than tried again. */
	public static final int MAX_CRASHES = 2;

	public Task {
		Assert.notNull(id, "a task has an id");
		Assert.notNull(userId, "a task has an owner");
		Assert.notNull(target, "a task has a target format");
		Assert.notNull(status, "a task has a status");
		Assert.isTrue(progress >= 0 && progress <= 100, "progress is a percentage");
		Assert.isTrue(ConversionMatrix.supports(Optional.ofNullable(source), target),
				() -> "no conversion from " + source + " to " + target);
	}

	/** A task as the upload stores it: waiting for a worker, nothing converted yet. */
	public static Task uploaded(UUID id, UUID userId, String fileName, Format source, Format target, Quality quality,
			long sizeBytes, String originalFile, String processedFile, boolean notifyOwner, String idempotencyKey,
			Instant createdAt) {
		return new Task(id, userId, fileName, source, target, quality, TaskStatus.UPLOADED, 0, sizeBytes, null,
				originalFile, processedFile, null, notifyOwner, idempotencyKey, createdAt, null, null, 0);
	}

	public boolean isOwnedBy(UUID user) {
		return this.userId.equals(user);
	}

	/** Only a task that has not ended can be cancelled. */
	public boolean cancellable() {
		return this.status == TaskStatus.UPLOADED || this.status == TaskStatus.PROCESSING;
	}

	/** A failed or cancelled task can run again, under the same id. */
	public boolean retryable() {
		return this.status == TaskStatus.FAILED || this.status == TaskStatus.CANCELLED;
	}

	/** A running conversion must be cancelled before its task can go. */
	public boolean deletable() {
		return this.status != TaskStatus.PROCESSING;
	}

	/** Whether the owner hears of this ending by mail: results and failures, not their own cancels. */
	public boolean mailsOwner() {
		return this.notifyOwner && (this.status == TaskStatus.PROCESSED || this.status == TaskStatus.FAILED);
	}

	/** Whether its worker died running it so often that it must not be handed to another. */
	public boolean crashedTooOften() {
		return this.crashes >= MAX_CRASHES;
	}

	/** What the worker does for this task. */
	public Operation operation() {
		return ConversionMatrix.operation(Optional.ofNullable(this.source), this.target).orElseThrow();
	}

	/** The source's id, or for a file of no known format the extension it was stored under. */
	public String originalFormatName() {
		if (this.source != null) {
			return this.source.id();
		}
		return this.originalFile.substring(this.originalFile.indexOf('.') + 1);
	}

	public Task withProgress(int value) {
		return new Task(id, userId, fileName, source, target, quality, status, value, sizeBytes, processedSizeBytes,
				originalFile, processedFile, error, notifyOwner, idempotencyKey, createdAt, startedAt, finishedAt, crashes);
	}

}
