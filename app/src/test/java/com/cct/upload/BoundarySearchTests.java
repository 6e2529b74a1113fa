package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BoundarySearchTests {

	private static final byte[] DELIMITER = "\r\n--abcdefgh".getBytes(StandardCharsets.ISO_8859_1);

	private final BoundarySearch search = new BoundarySearch(DELIMITER);

	@Test
	void findsTheDelimiterAtEveryOffsetOfTheWindow() {
		for (int at = 0; at + DELIMITER.length <= 200; at++) {
			byte[] data = noise(200, at);
			System.arraycopy(DELIMITER, 0, data, at, DELIMITER.length);

			assertThat(this.search.indexOf(data, 0, data.length)).as("at %d", at).isEqualTo(at);
		}
	}

	@Test
	void findsTheFirstOfTwo() {
		byte[] data = noise(100, 1);
		System.arraycopy(DELIMITER, 0, data, 30, DELIMITER.length);
		System.arraycopy(DELIMITER, 0, data, 70, DELIMITER.length);

		assertThat(this.search.indexOf(data, 0, data.length)).isEqualTo(30);
		assertThat(this.search.indexOf(data, 31, data.length)).isEqualTo(70);
	}

	@Test
	void aDelimiterCutByTheWindowsEndIsNotFound() {
		byte[] data = noise(100, 2);
		System.arraycopy(DELIMITER, 0, data, 95, 5);

		assertThat(this.search.indexOf(data, 0, data.length)).isEqualTo(-1);
		assertThat(this.search.indexOf(data, 0, 99)).isEqualTo(-1);
	}

	@Test
	void almostDelimitersAreNoDelimiters() {
		byte[] data = ("x\r\n--abcdefgX\r\n-abcdefgh\r\r--abcdefgh\n--abcdefgh--abcdefgh").getBytes(StandardCharsets.ISO_8859_1);

		assertThat(this.search.indexOf(data, 0, data.length)).isEqualTo(-1);
	}

	@Test
	void searchesOnlyWithinTheWindow() {
		byte[] data = noise(100, 3);
		System.arraycopy(DELIMITER, 0, data, 10, DELIMITER.length);

		assertThat(this.search.indexOf(data, 11, 100)).isEqualTo(-1);
		assertThat(this.search.indexOf(data, 0, 10 + DELIMITER.length - 1)).isEqualTo(-1);
		assertThat(this.search.indexOf(data, 10, 10 + DELIMITER.length)).isEqualTo(10);
	}

	/** Random bytes without the delimiter's first byte, so no delimiter appears by chance. */
	private static byte[] noise(int length, long seed) {
		byte[] data = new byte[length];
		new Random(seed).nextBytes(data);
		for (int i = 0; i < length; i++) {
			if (data[i] == '\r') {
				data[i] = 'r';
			}
		}
		return data;
	}

}
