package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ErrorTailTests {

	@Test
	void keepsEverythingOfAShortLog() {
		ErrorTail tail = new ErrorTail();
		tail.follow(stream("first line\nInvalid data found when processing input\n"));
		assertThat(tail.text()).isEqualTo("first line\nInvalid data found when processing input\n");
	}

	@Test
	void keepsOnlyTheLastKilobytesOfAnEndlessLog() {
		StringBuilder log = new StringBuilder();
		for (int i = 0; i < 200_000; i++) {
			log.append("[mp3 @ 0x55] Header missing, packet ").append(i).append('\n');
		}
		log.append("Conversion failed!\n");
		ErrorTail tail = new ErrorTail();
		tail.follow(stream(log.toString()));
		String kept = tail.text();
		assertThat(kept).hasSizeLessThanOrEqualTo(ErrorTail.KEPT_BYTES).endsWith("packet 199999\nConversion failed!\n");
		assertThat(log.length()).isGreaterThan(100 * ErrorTail.KEPT_BYTES);
	}

	@Test
	void isEmptyWithoutOutput() {
		ErrorTail tail = new ErrorTail();
		assertThat(tail.text()).isEmpty();
		tail.follow(stream(""));
		assertThat(tail.text()).isEmpty();
	}

	private static InputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

}
