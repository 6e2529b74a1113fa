package com.cct.task;

import static com.cct.task.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import com.cct.format.Format;

class FileNamesTests {

	@Nested
	class DisplayName {

		@ParameterizedTest
		@CsvSource(delimiter = '|', value = { "report.pdf|report.pdf", "../../etc/passwd|passwd",
				"C:\\Users\\me\\photo.jpg|photo.jpg", "a/b\\c/d.txt|d.txt", "'  spaced name.mp3  '|spaced name.mp3",
				".hidden|hidden", "...dots.txt|dots.txt", "holiday photo (1).png|holiday photo (1).png" })
		void keepsTheLastSegmentTrimmedWithoutLeadingDots(String original, String expected) {
			assertThat(FileNames.displayName(original)).isEqualTo(expected);
		}

		@Test
		void removesControlAndFormatCharacters() {
			assertThat(FileNames.displayName("tab\there\r\n.txt")).isEqualTo("tabhere.txt");
			assertThat(FileNames.displayName("bell\u0007\u0000.mp3")).isEqualTo("bell.mp3");
			// a right-to-left override would make "exe.txt" look like "txt.exe"
			assertThat(FileNames.displayName("invoice\u202Etxt.exe")).isEqualTo("invoicetxt.exe");
			assertThat(FileNames.displayName("zero\u200Bwidth\uFEFF.png")).isEqualTo("zerowidth.png");
		}

		@Test
		void normalisesToNfc() {
			String decomposed = "Cafe\u0301.mp3";
			String name = FileNames.displayName(decomposed);
			assertThat(name).isEqualTo("Caf\u00e9.mp3");
			assertThat(Normalizer.isNormalized(name, Normalizer.Form.NFC)).isTrue();
		}

		@ParameterizedTest
		@NullAndEmptySource
		@ValueSource(strings = { "..", ".", "dir/", "a\\", "   ", "\u0007\u0008", "/..." })
		void fallsBackToFileWhenNothingIsLeft(String original) {
			assertThat(FileNames.displayName(original)).isEqualTo("file");
		}

		@Test
		void capsLongNamesAt200CharactersKeepingAShortExtension() {
			String name = FileNames.displayName("x".repeat(500) + ".mp4");
			assertThat(name).hasSize(200).endsWith("x.mp4").startsWith("xxx");
		}

		@Test
		void capsLongNamesWithoutKeepingALongExtension() {
			String name = FileNames.displayName("x".repeat(300) + ".averyverylongextension");
			assertThat(name).hasSize(200).isEqualTo("x".repeat(200));
		}

		@Test
		void leavesA200CharacterNameAlone() {
			String original = "y".repeat(196) + ".mp3";
			assertThat(FileNames.displayName(original)).isEqualTo(original);
		}

	}

	@Nested
	class RawExtension {

		@ParameterizedTest
		@CsvSource({ "report.pdf, pdf", "Report.PDF, pdf", "a.tar.gz, gz", "archive.7z, 7z", "notes.markdown, markdown",
				"README, bin", "hidden., bin", ".bashrc, bin", "a.b-c, bin", "a.verylongx, bin", "'a.pdf ', bin",
				"photo.jpeg, jpeg" })
		void isAShortLowerCaseExtensionOrBin(String displayName, String expected) {
			assertThat(FileNames.rawExtension(displayName)).isEqualTo(expected);
		}

	}

	@Nested
	class ResultName {

		@Test
		void replacesTheExtensionOfAConvertedFile() {
			assertThat(FileNames.resultName(task("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED)))
				.isEqualTo("song.ogg");
			assertThat(FileNames.resultName(task("Clip.Final.MOV", Format.MOV, Format.MP4, TaskStatus.PROCESSED)))
				.isEqualTo("Clip.Final.mp4");
			assertThat(FileNames.resultName(task("photo.jpeg", Format.JPG, Format.PNG, TaskStatus.PROCESSED)))
				.isEqualTo("photo.png");
		}

		@Test
		void compressingKeepsTheNameAndExtension() {
			assertThat(FileNames.resultName(task("talk.wav", Format.WAV, Format.WAV, TaskStatus.PROCESSED)))
				.isEqualTo("talk.wav");
		}

		@Test
		void addsTheExtensionWhenTheNameClaimsNone() {
			assertThat(FileNames.resultName(task("recording", Format.WAV, Format.MP3, TaskStatus.PROCESSED)))
				.isEqualTo("recording.mp3");
		}

		@Test
		void repackingReplacesTheWholeArchiveExtension() {
			assertThat(FileNames.resultName(task("a.tar.gz", Format.TAR_GZ, Format.ZIP, TaskStatus.PROCESSED)))
				.isEqualTo("a.zip");
			assertThat(FileNames.resultName(task("b.tgz", Format.TAR_GZ, Format.TAR_XZ, TaskStatus.PROCESSED)))
				.isEqualTo("b.tar.xz");
			assertThat(FileNames.resultName(task("c.zip", Format.ZIP, Format.SEVEN_Z, TaskStatus.PROCESSED)))
				.isEqualTo("c.7z");
		}

		@Test
		void packingKeepsTheWholeName() {
			assertThat(FileNames.resultName(task("report.pdf", null, Format.ZIP, TaskStatus.PROCESSED)))
				.isEqualTo("report.pdf.zip");
			assertThat(FileNames.resultName(task("photo.png", Format.PNG, Format.TAR_GZ, TaskStatus.PROCESSED)))
				.isEqualTo("photo.png.tar.gz");
		}

		@Test
		void keepsANameThatIsOnlyAnExtension() {
			assertThat(FileNames.resultName(task(".mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED)))
				.isEqualTo(".mp3.ogg");
		}

	}

	@Nested
	class EntryName {

		@ParameterizedTest
		@CsvSource(delimiter = '|', value = { "report.pdf|report.pdf", "../../etc/passwd|passwd",
				"C:\\Users\\me\\photo.jpg|photo.jpg", "..|file", "dir/|file" })
		void isTheDisplayName(String fileName, String expected) {
			assertThat(FileNames.entryName(fileName)).isEqualTo(expected);
		}

		@Test
		void dropsControlCharacters() {
			assertThat(FileNames.entryName("tab\there.txt")).isEqualTo("tabhere.txt");
		}

		@Test
		void fallsBackToFileForNull() {
			assertThat(FileNames.entryName(null)).isEqualTo("file");
		}

		@Test
		void fitsIn255BytesKeepingTheExtension() {
			String name = FileNames.entryName("é".repeat(300) + ".mp4");
			assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255).isGreaterThan(250);
			assertThat(name).endsWith(".mp4").startsWith("éé").matches("é+\\.mp4");
		}

		@Test
		void neverSplitsACharacterOutsideTheBasicPlane() {
			String name = FileNames.entryName("\uD83D\uDE00".repeat(90) + ".txt");
			assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
			assertThat(name).endsWith(".txt").matches("(\uD83D\uDE00)+\\.txt");
		}

		@Test
		void cutsANameWithoutExtensionFromTheEnd() {
			String name = FileNames.entryName("ü".repeat(199));
			assertThat(name).isEqualTo("ü".repeat(127));
		}

	}

	@Test
	void neverCutsAnEmojiInHalfAtTheLengthLimit() {
		String name = FileNames.displayName("a" + "\uD83D\uDE00".repeat(150));
		assertThat(Character.isHighSurrogate(name.charAt(name.length() - 1))).isFalse();
		assertThat(name.length()).isLessThanOrEqualTo(200);
	}
}
