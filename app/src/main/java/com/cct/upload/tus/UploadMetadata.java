package com.cct.upload.tus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.cct.upload.TaskUploads;
import com.cct.web.Problems;

/**
 * tus's {@code Upload-Metadata}: comma-separated pairs of a key and its value in base64 (a key alone
 * has no value). The keys read here are {@code filename}, {@code newFormat}, {@code quality} and
 * {@code notify}; others are ignored, as tus asks.
 */
final class UploadMetadata {

	static final int MAX_HEADER = 4096;

	private UploadMetadata() {
	}

	static TaskUploads.Fields parse(String header) {
		if (header == null || header.isBlank()) {
			throw invalid("Send Upload-Metadata with at least 'filename' and 'newFormat' (values in base64).");
		}
		if (header.length() > MAX_HEADER) {
			throw invalid("Upload-Metadata is longer than " + MAX_HEADER + " characters.");
		}
		Map<String, String> pairs = new HashMap<>();
		for (String pair : header.split(",")) {
			String[] parts = pair.strip().split(" ", -1);
			if (parts.length > 2 || parts[0].isEmpty()) {
				throw invalid("Each Upload-Metadata pair is a key, a space and a base64 value.");
			}
			String value = "";
			if (parts.length == 2) {
				try {
					value = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
				}
				catch (IllegalArgumentException ex) {
					throw invalid("The value of '" + parts[0] + "' in Upload-Metadata is not base64.");
				}
			}
			if (pairs.put(parts[0], value) != null) {
				throw invalid("'" + parts[0] + "' appears twice in Upload-Metadata.");
			}
		}
		return new TaskUploads.Fields(pairs.get("filename"), pairs.get("newFormat"), pairs.get("quality"),
				pairs.get("notify"));
	}

	private static RuntimeException invalid(String detail) {
		return Problems.badRequest("invalid-upload-metadata", "Invalid Upload-Metadata", detail);
	}

}
