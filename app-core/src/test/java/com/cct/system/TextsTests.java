package com.cct.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTests {

	@Test
	void leavesAShortTextAlone() {
		assertThat(Texts.abbreviate("hello", 5)).isEqualTo("hello");
		assertThat(Texts.abbreviate("", 3)).isEmpty();
	}

	@Test
	void cutsALongTextAndSaysSo() {
		assertThat(Texts.abbreviate("abcdefgh", 5)).isEqualTo("abcde...");
		assertThat(Texts.abbreviate("x".repeat(5000), 997)).hasSize(1000).endsWith("x...");
	}

	@Test
	void removesControlCharactersBeforeCounting() {
		assertThat(Texts.abbreviate("line one\r\nline\ttwo\u0000\u001b[31m", 100)).isEqualTo("line onelinetwo[31m");
		assertThat(Texts.abbreviate("a\nb\nc\nd", 4)).isEqualTo("abcd");
	}

	@Test
	void turnsNullIntoEmptyText() {
		assertThat(Texts.abbreviate(null, 10)).isEmpty();
	}

}
