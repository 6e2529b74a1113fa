package com.cct.upload;

import org.springframework.web.multipart.MultipartFile;

/** An upload as the controller received it, before any check. */
public record UploadRequest(MultipartFile file, String newFormat, String quality, Boolean notifyOwner,
		String idempotencyKey) {
}
