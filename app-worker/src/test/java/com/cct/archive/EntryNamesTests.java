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
