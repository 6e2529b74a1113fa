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

	private static final String OCTET_STREAM = "application/octet-stream";

	private final Tika tika = new Tika();

	/** Transport streams start with a sync byte every 188 bytes (every 192 in .m2ts/.mts, after a time code). */
	private static final int TS_PACKETS_CHECKED = 4;

	Detected inspect(InputStream content) throws IOException {
		try (InputStream in = new BufferedInputStream(content)) {
			String mime = this.tika.detect(in);
			if (OCTET_STREAM.equals(mime) && isTransportStream(in)) {
				// Tika has no magic for MPEG-TS
				mime = "video/mp2t";
			}
			return new Detected(mime, Format.ofMimeType(mime));
		}
	}

	private static boolean isTransportStream(InputStream in) throws IOException {
		int span = 192 * TS_PACKETS_CHECKED + 4;
		in.mark(span);
		byte[] head = in.readNBytes(span);
		in.reset();
		return syncEvery(head, 0, 188) || syncEvery(head, 4, 192);
	}

	private static boolean syncEvery(byte[] head, int offset, int packet) {
		for (int i = 0; i < TS_PACKETS_CHECKED; i++) {
			int at = offset + i * packet;
			if (at >= head.length || head[at] != 0x47) {
				return false;
			}
		}
		return true;
	}

	/** What the bytes say: the MIME type Tika found and the format it maps to, if any. */
	record Detected(String mimeType, Optional<Format> format) {
	}

}
