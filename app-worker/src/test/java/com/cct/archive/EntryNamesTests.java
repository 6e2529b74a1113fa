package com.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.cct.conversion.RejectedInputException;

class EntryNamesTests {

	@Test
	void normalisesHarmlessNames() {
		assertThat(EntryNames.relative("./docs//nested/./a.txt")).isEqualTo("docs/nested/a.txt");
		assertThat(EntryNames.relative("docs\\a.txt")).isEqualTo("docs/a.txt");
		assertThat(EntryNames.relative("./")).isEmpty();
		assertThat(EntryNames.relative("café/naïve.txt")).isEqualTo("café/naïve.txt");
		assertThat(EntryNames.relative("a..b/..c")).isEqualTo("a..b/..c");
	}

	/** Unflagged zip names are code page 437 unless their bytes are UTF-8; tar names Latin-1 unless UTF-8. */
	@Test
	void decodesNamesThatAreNotUtf8() {
		assertThat(EntryNames.ofZip(new byte[] { 'c', 'a', 'f', (byte) 0x82, '.', 't', 'x', 't' })).isEqualTo("café.txt");
		assertThat(EntryNames.ofZip("résumé 音楽.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.isEqualTo("résumé 音楽.txt");
		assertThat(EntryNames.ofTar("caf\u00e9.txt")).as("Latin-1 bytes, read one char each").isEqualTo("café.txt");
		String utf8AsRead = new String("naïve.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8),
				java.nio.charset.StandardCharsets.ISO_8859_1);
		assertThat(EntryNames.ofTar(utf8AsRead)).isEqualTo("naïve.txt");
		assertThat(EntryNames.ofTar("音楽.txt")).as("from a PAX header, decoded already").isEqualTo("音楽.txt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "../evil.txt", "a/../../evil.txt", "a/../evil.txt", "/etc/evil.txt", "\\evil.txt",
			"..\\evil.txt", "C:/evil.txt", "c:evil.txt", "//server/share/evil.txt" })
	void refusesNamesThatEscape(String name) {
		assertThatThrownBy(() -> EntryNames.relative(name)).isInstanceOf(RejectedInputException.class)
			.hasMessageContaining("'evil.txt' points outside the archive");
	}

	@Test
	void refusesControlCharactersAndOverlongNames() {
		assertThatThrownBy(() -> EntryNames.relative("a\nb.txt")).isInstanceOf(RejectedInputException.class)
			.hasMessageContaining("control characters");
		assertThatThrownBy(() -> EntryNames.relative("x".repeat(256))).isInstanceOf(RejectedInputException.class)
			.hasMessageContaining("too long");
		assertThatThrownBy(() -> EntryNames.relative("abc/".repeat(1100))).isInstanceOf(RejectedInputException.class)
			.hasMessageContaining("too long");
	}

	@Test
	void displaysOnlyAShortPrintableLastSegment() {
		assertThat(EntryNames.display("../../etc/passwd")).isEqualTo("passwd");
		assertThat(EntryNames.display("C:\\Windows\\evil.dll")).isEqualTo("evil.dll");
		assertThat(EntryNames.display("folder/")).isEqualTo("folder");
		assertThat(EntryNames.display("bad\u0000\u202Ename")).isEqualTo("badname");
		assertThat(EntryNames.display("/")).isEqualTo("(unnamed)");
		assertThat(EntryNames.display("y".repeat(500))).hasSize(83);
	}

}
