package com.cct.upload;

import java.util.Optional;

import com.cct.format.Format;
import com.cct.format.Quality;

/**
 * An upload whose fields passed every check that needs no bytes: a known target, a quality that
 * applies to it, and a pair that is possible judged by the name.
 *
 * @param claimed the format the file name claims, if any
 * @param storedExtension the extension the original is stored under
 * @param notifyOwner the upload's own choice, or null for the account's setting
 */
record ValidatedUpload(Format target, Quality quality, String displayName, Optional<Format> claimed,
		String storedExtension, Boolean notifyOwner) {
}
