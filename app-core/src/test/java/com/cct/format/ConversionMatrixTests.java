package com.cct.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.cct.format.ConversionMatrix.Operation;

class ConversionMatrixTests {

	/** The formats of these kinds the service can write: what a matrix row may list. */
	static List<Format> ofKind(MediaKind... kinds) {
		Set<MediaKind> wanted = Set.of(kinds);
		return Arrays.stream(Format.values()).filter(format -> wanted.contains(format.kind())).filter(Format::writable)
			.toList();
	}

	@Test
	void heicIsReadButNeverWritten() {
		assertThat(ConversionMatrix.targetsFor(Optional.of(Format.HEIC))).contains(Format.JPG, Format.PNG, Format.ZIP);
		assertThat(Arrays.stream(Format.values()).filter(source -> ConversionMatrix.supports(Optional.of(source), Format.HEIC)))
			.isEmpty();
	}

	@Nested
	class TargetsBySourceKind {

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "MP4", "WEBM", "AVI", "MPEG", "WMV", "MOV", "MKV" })
		void videoBecomesVideoAudioOrAnArchive(Format video) {
			assertThat(ConversionMatrix.targetsFor(Optional.of(video)))
				.containsExactlyElementsOf(ofKind(MediaKind.VIDEO, MediaKind.AUDIO, MediaKind.ARCHIVE))
				.contains(video);
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "MP3", "AAC", "OGG", "WAV", "WMA", "FLAC", "M4A", "OPUS" })
		void audioBecomesAudioOrAnArchiveOnly(Format audio) {
			assertThat(ConversionMatrix.targetsFor(Optional.of(audio)))
				.containsExactlyElementsOf(ofKind(MediaKind.AUDIO, MediaKind.ARCHIVE));
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "JPG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "AVIF", "HEIC" })
		void imagesBecomeImagesOrAnArchiveOnly(Format image) {
			assertThat(ConversionMatrix.targetsFor(Optional.of(image)))
				.containsExactlyElementsOf(ofKind(MediaKind.IMAGE, MediaKind.ARCHIVE));
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ", "TAR_BZ2", "TAR_XZ" })
		void archivesBecomeArchivesOnly(Format archive) {
			assertThat(ConversionMatrix.targetsFor(Optional.of(archive)))
				.containsExactlyElementsOf(ofKind(MediaKind.ARCHIVE));
		}

		@Test
		void anyOtherFileCanOnlyBeArchived() {
			assertThat(ConversionMatrix.targetsFor(Optional.empty()))
				.containsExactly(Format.ZIP, Format.SEVEN_Z, Format.TAR_GZ, Format.TAR_BZ2, Format.TAR_XZ);
		}

	}

	@Nested
	class Operations {

		@Test
		void mediaPairsAreFfmpegWork() {
			assertThat(ConversionMatrix.operation(Optional.of(Format.MP4), Format.WEBM)).contains(Operation.MEDIA);
			assertThat(ConversionMatrix.operation(Optional.of(Format.MKV), Format.MP3)).contains(Operation.MEDIA);
			assertThat(ConversionMatrix.operation(Optional.of(Format.WAV), Format.WAV)).contains(Operation.MEDIA);
			assertThat(ConversionMatrix.operation(Optional.of(Format.PNG), Format.JPG)).contains(Operation.MEDIA);
		}

		@ParameterizedTest
		@EnumSource(Format.class)
		void anyMediaOrUnknownFilePackedIntoAnArchiveIsPack(Format source) {
			for (Format archive : ofKind(MediaKind.ARCHIVE)) {
				Operation expected = source.kind() == MediaKind.ARCHIVE ? Operation.REPACK : Operation.PACK;
				assertThat(ConversionMatrix.operation(Optional.of(source), archive)).as("%s -> %s", source, archive)
					.contains(expected);
				assertThat(ConversionMatrix.operation(Optional.empty(), archive)).contains(Operation.PACK);
			}
		}

		@Test
		void refusesPairsAcrossKinds() {
			assertThat(ConversionMatrix.operation(Optional.of(Format.MP3), Format.MP4)).isEmpty();
			assertThat(ConversionMatrix.operation(Optional.of(Format.WAV), Format.PNG)).isEmpty();
			assertThat(ConversionMatrix.operation(Optional.of(Format.MP4), Format.PNG)).isEmpty();
			assertThat(ConversionMatrix.operation(Optional.of(Format.PNG), Format.MP4)).isEmpty();
			assertThat(ConversionMatrix.operation(Optional.of(Format.GIF), Format.WEBM)).isEmpty();
			assertThat(ConversionMatrix.operation(Optional.of(Format.ZIP), Format.MP4)).isEmpty();
			assertThat(ConversionMatrix.operation(Optional.empty(), Format.MP3)).isEmpty();
			assertThat(ConversionMatrix.supports(Optional.of(Format.FLAC), Format.JPG)).isFalse();
		}

		@Test
		void supportsAgreesWithOperationForEveryPair() {
			for (Format target : Format.values()) {
				assertThat(ConversionMatrix.supports(Optional.empty(), target))
					.isEqualTo(ConversionMatrix.operation(Optional.empty(), target).isPresent());
				for (Format source : Format.values()) {
					assertThat(ConversionMatrix.supports(Optional.of(source), target)).as("%s -> %s", source, target)
						.isEqualTo(ConversionMatrix.operation(Optional.of(source), target).isPresent())
						.isEqualTo(ConversionMatrix.targetsFor(Optional.of(source)).contains(target));
				}
			}
		}

	}

	@ParameterizedTest
	@EnumSource(Format.class)
	void acceptsQualityForMediaTargetsOnly(Format target) {
		assertThat(ConversionMatrix.acceptsQuality(target)).isEqualTo(target.kind() != MediaKind.ARCHIVE);
	}

}
