package com.cct.upload;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.apache.tika.Tika;
import org.springframework.stereotype.Component;

import com.cct.format.Format;

/**
 * Tells what a file is by its first bytes (Apache Tika's magic numbers), never by its name or the
 * Content-Type a client sent. Cheap: reads at most a few kilobytes of the stored upload.
 */
@Component
class ContentInspector {

	private final Tika tika = new Tika();

	Detected inspect(InputStream content) throws IOException {
		try (InputStream in = new BufferedInputStream(content)) {
			String mime = this.tika.detect(in);
			return new Detected(mime, Format.ofMimeType(mime));
		}
	}

	/** What the bytes say: the MIME type Tika found and the format it maps to, if any. */
	record Detected(String mimeType, Optional<Format> format) {
	}

}
