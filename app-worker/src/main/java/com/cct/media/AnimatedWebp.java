package com.cct.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells an animated WebP by its header: a RIFF/WEBP file whose first chunk is the extended
 * {@code VP8X} header with the animation flag set (WebP container specification).
 */
final class AnimatedWebp {

	private static final int ANIMATION_FLAG = 0x02;

	private AnimatedWebp() {
	}

	static boolean is(Path file) throws IOException {
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(21);
		}
		return is(head);
	}

	static boolean is(byte[] head) {
		return head.length >= 21 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP") && ascii(head, 12, "VP8X")
				&& (head[20] & ANIMATION_FLAG) != 0;
	}

	private static boolean ascii(byte[] bytes, int at, String text) {
		for (int i = 0; i < text.length(); i++) {
			if (bytes[at + i] != text.charAt(i)) {
				return false;
			}
		}
		return true;
	}

}
