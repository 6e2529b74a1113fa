package com.cct.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import com.cct.conversion.ProcessScope;
import com.cct.conversion.RejectedInputException;
import com.cct.format.Format;
import com.cct.format.MediaKind;

class MediaProbeTests {

	@TempDir
	static Path dir;

	static MediaFixtures.Inputs inputs;

	static Path wav;

	static Path mp4;

	static Path png;

	final ProcessScope scope = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(1), Clock.systemUTC());

	@BeforeAll
	static void makeInputs() throws Exception {
		inputs = MediaFixtures.inputs(dir);
		wav = inputs.wav();
		mp4 = inputs.mp4();
		png = inputs.png();
	}

	@AfterEach
	void closeScope() {
		this.scope.close();
	}

	static FfmpegSettings settings(int maxDimension, long maxPixels, Duration maxDuration) {
		return new FfmpegSettings("ffmpeg", "ffprobe", 0, maxDimension, maxPixels, maxDuration, Duration.ofSeconds(10),
				Duration.ofMinutes(2), 1000, DataSize.ofMegabytes(256));
	}

	/** One probe for the default limits: each new one first runs {@code ffprobe -version}. */
	static final MediaProbe DEFAULT = new MediaProbe(settings(8192, 50_000_000, Duration.ofHours(6)));

	static MediaProbe probe() {
		return DEFAULT;
	}

	@Nested
	class Sandbox {

		@Test
		void allowsLocalFilesAndTheKnownDemuxersOnly() {
			List<String> args = MediaProbe.sandboxed(List.of("ffprobe", "-v", "quiet", "-show_format", "in.bin"), 1000);
			assertThat(args).containsExactly("ffprobe", "-protocol_whitelist", "file", "-format_whitelist",
					MediaProbe.DEMUXERS, "-codec_whitelist", Decoders.ALLOWED, "-max_pixels", "1000", "-v", "quiet",
					"-show_format", "-v", "error", "in.bin");
		}

		@Test
		void leavesTheVersionCheckAlone() {
			assertThat(MediaProbe.sandboxed(List.of("ffprobe", "-version"), 1000)).containsExactly("ffprobe", "-version");
			assertThat(MediaProbe.sandboxed(List.of("ffprobe"), 1000)).containsExactly("ffprobe");
		}

		@Test
		void theAllowListIsEveryFormatsDemuxersAndNothingThatOpensOtherFiles() {
			assertThat(MediaProbe.DEMUXERS).isEqualTo(String.join(",", Format.allDemuxers()));
			assertThat(Arrays.asList(MediaProbe.DEMUXERS.split(","))).contains("wav", "mov", "matroska", "png_pipe")
				.doesNotContain("hls", "concat", "image2", "dash", "lavfi", "tee", "ffmetadata", "");
		}

	}

	@Nested
	class Reading {

		@Test
		void readsAudio() throws IOException {
			MediaInfo info = probe().probe(wav, MediaKind.AUDIO, scope);
			assertThat(info.demuxer()).isEqualTo("wav");
			assertThat(info.hasAudio()).isTrue();
			assertThat(info.hasVideo()).isFalse();
			assertThat(info.durationSeconds()).isCloseTo(1.0, within(0.05));
			assertThat(info.width()).isZero();
			assertThat(info.height()).isZero();
		}

		@Test
		void readsVideoWithSound() throws IOException {
			MediaInfo info = probe().probe(mp4, MediaKind.VIDEO, scope);
			assertThat(info.demuxer()).isEqualTo("mov");
			assertThat(info.hasAudio()).isTrue();
			assertThat(info.hasVideo()).isTrue();
			assertThat(info.width()).isEqualTo(64);
			assertThat(info.height()).isEqualTo(48);
			assertThat(info.durationSeconds()).isCloseTo(1.0, within(0.1));
		}

		@Test
		void readsAPicture() throws IOException {
			MediaInfo info = probe().probe(png, MediaKind.IMAGE, scope);
			assertThat(info).isEqualTo(new MediaInfo("png_pipe", 0, true, false, 64, 48));
		}

	}

	@Nested
	class Refusing {

		@Test
		void refusesACodecOutsideTheDecoderAllowList(@TempDir Path folder) throws Exception {
			// ffmpeg's experimental wavelet codec: real, decodable, and not something people upload
			Path snow = folder.resolve("snow.mkv");
			MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64:d=0.5", "-c:v",
					"snow", "-strict", "-2", snow.toString()));
			assertThatThrownBy(() -> probe().probe(snow, MediaKind.VIDEO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessage("The file uses a codec this service does not read.");
		}

		@Test
		void refusesAnHlsPlaylistThatPointsAtALocalFile() throws Exception {
			Path segment = inputs.segmentTs();
			Path playlist = Files.writeString(dir.resolve("list.m3u8"), """
					#EXTM3U
					#EXT-X-VERSION:3
					#EXT-X-TARGETDURATION:1
					#EXTINF:1.0,
					%s
					#EXT-X-ENDLIST
					""".formatted(segment.getFileName()));
			assertThat(MediaFixtures.attempt(List.of("ffprobe", "-v", "error", playlist.toString())).exitCode())
				.as("without the sandbox ffprobe follows the playlist")
				.isZero();

			assertThatThrownBy(() -> probe().probe(playlist, MediaKind.VIDEO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessage("The file could not be read as video: it is damaged, truncated or not a supported format.");
		}

		@Test
		void refusesAConcatListThatPointsAtALocalFile() throws Exception {
			Path list = Files.writeString(dir.resolve("list.ffconcat"), """
					ffconcat version 1.0
					file '%s'
					""".formatted(wav.getFileName()));
			assertThat(MediaFixtures.attempt(List.of("ffprobe", "-v", "error", list.toString())).exitCode())
				.as("without the sandbox ffprobe follows the list")
				.isZero();

			assertThatThrownBy(() -> probe().probe(list, MediaKind.AUDIO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessage("The file could not be read as audio: it is damaged, truncated or not a supported format.");
		}

		@Test
		void refusesATruncatedVideo() throws Exception {
			byte[] bytes = Files.readAllBytes(mp4);
			Path truncated = Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(bytes, bytes.length / 3));
			assertThatThrownBy(() -> probe().probe(truncated, MediaKind.VIDEO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessageContaining("could not be read as video");
		}

		@Test
		void refusesAPictureTooWideWithAReadableMessage() {
			MediaProbe small = new MediaProbe(settings(32, 50_000_000, Duration.ofHours(6)));
			assertThatThrownBy(() -> small.probe(png, MediaKind.IMAGE, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessage("The picture is too large (64x48); the limit is 32 pixels a side.");
		}

		@Test
		void refusesAPictureOfTooManyPixelsThoughNoSideIsTooLong() {
			MediaProbe crowded = new MediaProbe(settings(64, 64 * 48 - 1, Duration.ofHours(6)));
			assertThatThrownBy(() -> crowded.probe(mp4, MediaKind.VIDEO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessageStartingWith("The picture is too large");
		}

		@Test
		void refusesAFileLongerThanTheLimit() {
			MediaProbe brief = new MediaProbe(settings(8192, 50_000_000, Duration.ofMillis(500)));
			assertThatThrownBy(() -> brief.probe(wav, MediaKind.AUDIO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessageStartingWith("The file is too long");
		}

		@Test
		void refusesSoundAsAPicture() {
			assertThatThrownBy(() -> probe().probe(wav, MediaKind.IMAGE, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessage("The file holds no picture.");
		}

		@Test
		void refusesAVideoContainerWithNeitherSoundNorPicture() {
			Path onlyWords = inputs.subtitlesOnlyMkv();
			assertThatThrownBy(() -> probe().probe(onlyWords, MediaKind.VIDEO, scope))
				.isInstanceOf(RejectedInputException.class)
				.hasMessage("The file holds neither audio nor video.");
		}

		@Test
		void aCancelledConversionIsNotBlamedOnTheInput() {
			scope.cancel();
			assertThatThrownBy(() -> probe().probe(wav, MediaKind.AUDIO, scope)).isInstanceOf(IOException.class)
				.hasMessage("probe stopped");
		}

	}

}
