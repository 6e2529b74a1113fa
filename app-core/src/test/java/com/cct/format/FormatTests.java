package com.cct.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class FormatTests {

	@Nested
	class FromId {

		@ParameterizedTest
		@CsvSource({ "mp4, MP4", "m4v, MP4", "MP4, MP4", ".mp4, MP4", "' .Mp4 ', MP4", "acc, AAC", "aac, AAC",
				"jpeg, JPG", "JPEG, JPG", "jpe, JPG", "jfif, JPG", "m4b, M4B", "amr, AMR", "au, AU", "caf, CAF",
				"tif, TIFF", "mpg, MPEG", "oga, OGG", "7z, SEVEN_Z", "tar.gz, TAR_GZ",
				"TGZ, TAR_GZ", ".tbz2, TAR_BZ2", "txz, TAR_XZ", "mkv, MKV" })
		void findsIdsAndAliasesIgnoringCaseAndALeadingDot(String value, Format expected) {
			assertThat(Format.fromId(value)).contains(expected);
		}

		@ParameterizedTest
		@NullAndEmptySource
		@ValueSource(strings = { "docx", "gz", "tar", "..mp4", "mp4.", "seven_z", "TAR_GZ", "mp 4" })
		void findsNothingForUnknownValues(String value) {
			assertThat(Format.fromId(value)).isEmpty();
		}

		@ParameterizedTest
		@EnumSource(Format.class)
		void findsEveryFormatByEachOfItsNames(Format format) {
			assertThat(format.names()).first().isEqualTo(format.id());
			for (String name : format.names()) {
				assertThat(Format.fromId(name)).as(name).contains(format);
			}
		}

		@Test
		void noNameBelongsToTwoFormats() {
			List<String> names = Arrays.stream(Format.values()).flatMap(format -> format.names().stream()).toList();
			assertThat(names).doesNotHaveDuplicates();
		}

	}

	@Nested
	class ClaimedBy {

		@ParameterizedTest
		@CsvSource({ "a.tar.gz, TAR_GZ", "x.TGZ, TAR_GZ", "backup.2024.tar.bz2, TAR_BZ2", "logs.tar.xz, TAR_XZ",
				"song.mp3, MP3", "Song.MP3, MP3", "clip.m4v, MP4", "photo.jpeg, JPG", "scan.tif, TIFF",
				"voice.acc, AAC", "movie.final.mkv, MKV", "a.7z, SEVEN_Z", "report.pdf.zip, ZIP",
				"tune.m4a, M4A" })
		void claimsTheFormatOfTheLongestMatchingExtension(String fileName, Format expected) {
			assertThat(Format.claimedBy(fileName)).contains(expected);
		}

		@ParameterizedTest
		@NullAndEmptySource
		@ValueSource(strings = { "README", "report.pdf", "archive.gz", "archive.tar", "mp3", "song.mp3.part",
				"notmp3", "a.tar.gz.bak" })
		void claimsNothingWithoutAKnownExtension(String fileName) {
			assertThat(Format.claimedBy(fileName)).isEmpty();
		}

	}

	@Nested
	class MimeTypes {

		@ParameterizedTest
		@EnumSource(Format.class)
		void everyMimeTypeOfAFormatMapsBackToIt(Format format) {
			if (format != Format.M4B) {
				// an m4b is an m4a by its bytes (audio/mp4); it is known by its name alone
				assertThat(format.mimeTypes()).isNotEmpty();
			}
			for (String mimeType : format.mimeTypes()) {
				assertThat(Format.ofMimeType(mimeType)).as(mimeType).contains(format);
			}
		}

		@Test
		void noMimeTypeIsClaimedByTwoFormats() {
			Map<String, Format> owners = new HashMap<>();
			for (Format format : Format.values()) {
				for (String mimeType : format.mimeTypes()) {
					Format earlier = owners.put(mimeType, format);
					assertThat(earlier).as("%s claimed by %s and %s", mimeType, earlier, format).isNull();
				}
			}
		}

		@ParameterizedTest
		@EmptySource
		@ValueSource(strings = { "application/pdf", "text/plain", "application/octet-stream", "VIDEO/MP4" })
		void unknownMimeTypesMapToNothing(String mimeType) {
			assertThat(Format.ofMimeType(mimeType)).isEmpty();
		}

	}

	@Nested
	class FfmpegNames {

		@ParameterizedTest
		@EnumSource(Format.class)
		void mediaFormatsHaveAMuxerAndDemuxersArchivesNone(Format format) {
			if (format.decodedByLibheif()) {
				// read through libheif, never written
				assertThat(format.muxer()).isEmpty();
				assertThat(format.writable()).isFalse();
				return;
			}
			if (format == Format.AMR) {
				// read by ffmpeg, which has no AMR encoder here
				assertThat(format.muxer()).isEmpty();
				assertThat(format.writable()).isFalse();
				assertThat(format.demuxers()).containsExactly("amr");
				return;
			}
			if (format.kind().isMedia()) {
				assertThat(format.muxer()).isPresent().get().asString().isNotBlank();
				assertThat(format.demuxers()).isNotEmpty().allSatisfy(name -> assertThat(name).isNotBlank());
			}
			else {
				assertThat(format.muxer()).isEmpty();
				assertThat(format.demuxers()).isEmpty();
			}
		}

		@Test
		void allDemuxersHasNoDuplicatesAndCoversEveryMediaFormat() {
			List<String> all = Format.allDemuxers();
			assertThat(all).doesNotHaveDuplicates();
			for (Format format : Format.values()) {
				assertThat(all).as(format.id()).containsAll(format.demuxers());
			}
		}

		@Test
		void allDemuxersNeverAllowsDemuxersThatOpenOtherFiles() {
			List<String> names = Format.allDemuxers()
				.stream()
				.flatMap(entry -> Arrays.stream(entry.split(",")))
				.toList();
			assertThat(names).doesNotContain("hls", "concat", "image2", "dash", "tee", "lavfi", "ffmetadata");
		}

	}

	@Test
	void serialisesToJsonAsItsIdAndReadsBack() throws Exception {
		ObjectMapper json = new ObjectMapper();
		assertThat(json.writeValueAsString(Format.TAR_GZ)).isEqualTo("\"tar.gz\"");
		assertThat(json.writeValueAsString(Format.SEVEN_Z)).isEqualTo("\"7z\"");
		assertThat(json.readValue("\"tar.gz\"", Format.class)).isEqualTo(Format.TAR_GZ);
	}

	@ParameterizedTest
	@EnumSource(Format.class)
	void itsExtensionAndTextAreItsId(Format format) {
		assertThat(format.extension()).isEqualTo(format.id());
		assertThat(format).hasToString(format.id());
	}

}
