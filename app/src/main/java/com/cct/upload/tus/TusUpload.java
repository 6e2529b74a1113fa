package com.cct.upload.tus;

import java.time.Instant;
import java.util.UUID;

import com.cct.upload.TaskUploads;

/** One resumable upload in progress, as its row in {@code tus_uploads} holds it. */
record TusUpload(UUID id, UUID userId, long length, long offset, String metadata, TaskUploads.Fields fields,
		boolean headChecked, Instant expiresAt) {

	boolean complete() {
		return this.offset == this.length;
	}

}
