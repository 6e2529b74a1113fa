package com.cct.upload;

import java.util.Arrays;

/**
 * Finds a multipart delimiter in a buffer with Boyer-Moore-Horspool: it compares the last byte of
 * the window first and, on a mismatch, skips by up to the delimiter's length (about 40-70 bytes for
 * a browser's boundary) instead of stepping byte by byte as Tomcat's parser does.
 */
final class BoundarySearch {

	private final byte[] pattern;

	private final int[] skip = new int[256];

	BoundarySearch(byte[] pattern) {
		if (pattern.length == 0) {
			throw new IllegalArgumentException("an empty pattern matches everywhere");
		}
		this.pattern = pattern.clone();
		int last = pattern.length - 1;
		Arrays.fill(this.skip, pattern.length);
		for (int i = 0; i < last; i++) {
			this.skip[pattern[i] & 0xff] = last - i;
		}
	}

	int length() {
		return this.pattern.length;
	}

	/** The first index in {@code [from, to)} where the whole pattern starts, or -1. */
	int indexOf(byte[] data, int from, int to) {
		int last = this.pattern.length - 1;
		byte tail = this.pattern[last];
		for (int at = from; at + last < to; at += this.skip[data[at + last] & 0xff]) {
			if (data[at + last] == tail && matchesBefore(data, at, last)) {
				return at;
			}
		}
		return -1;
	}

	private boolean matchesBefore(byte[] data, int at, int last) {
		for (int i = last - 1; i >= 0; i--) {
			if (data[at + i] != this.pattern[i]) {
				return false;
			}
		}
		return true;
	}

}
