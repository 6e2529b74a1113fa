package com.cct.media;

import static com.cct.media.MediaFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.ProcessScope;
import com.cct.conversion.RejectedInputException;
import com.cct.format.Format;
import com.cct.format.Quality;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;

import com.fasterxml.jackson.databind.JsonNode;

class MediaConverterTests {

	static final FfmpegSettings SETTINGS = settings(8192, 50_000_000, Duration.ofHours(6));

	static FfmpegSettings settings(int maxDimension, long maxPixels, Duration maxDuration) {
		return new FfmpegSettings("ffmpeg", 1, maxDimension, maxPixels, maxDuration, Duration.ofSeconds(10),
				Duration.ofMinutes(2), 1000, DataSize.ofMegabytes(256));
	}

	static final Duration CEILING = Duration.ofMinutes(30);

	@Nested
	class StartUp {

		@Test
		void refusesToStartWithoutAWorkingFfmpegThatPrintsLogLevels() {
			for (String path : List.of("/nonexistent/ffmpeg", "/bin/echo", "/bin/true")) {
				FfmpegSettings broken = new FfmpegSettings(path, 1, 8192, 50_000_000, Duration.ofHours(6),
						Duration.ofSeconds(10), Duration.ofMinutes(2), 1000, DataSize.ofMegabytes(256));
				assertThatThrownBy(() -> new MediaConverter(broken, new JobRunrProperties())).as(path)
					.isInstanceOf(java.io.IOException.class);
			}
		}

	}

	@Nested
	class Deadline {

		@Test
		void isTheBaseForAStillPicture() {
			assertThat(MediaConverter.deadlineFor(SETTINGS, 0)).isEqualTo(Duration.ofMinutes(2));
		}

		@Test
		void addsTheAllowancePerStartedSecondOfInput() {
			assertThat(MediaConverter.deadlineFor(SETTINGS, 1.0)).isEqualTo(Duration.ofSeconds(130));
			assertThat(MediaConverter.deadlineFor(SETTINGS, 1.01)).isEqualTo(Duration.ofSeconds(140));
			assertThat(MediaConverter.deadlineFor(SETTINGS, 90)).isEqualTo(Duration.ofMinutes(17));
			assertThat(MediaConverter.deadlineFor(SETTINGS, 6 * 3600)).isEqualTo(Duration.ofHours(60).plusMinutes(2));
		}

	}

	@Nested
	class Converting {

		@TempDir
		static Path inputs;

		static MediaFixtures.Inputs made;

		static Path wav;

		static Path silentMp4;

		/** Built once: building one runs {@code ffmpeg -version}. */
		static MediaConverter converter;

		@TempDir
		Path root;

		FileStorage storage;

		ProcessScope scope;

		final List<Double> progress = new CopyOnWriteArrayList<>();

		@BeforeAll
		static void makeInputs() throws Exception {
			made = MediaFixtures.inputs(inputs);
			wav = made.wav();
			silentMp4 = made.silentMp4();
			converter = new MediaConverter(SETTINGS, new JobRunrProperties());
		}

		@BeforeEach
		void setUp() {
			this.storage = new FileStorage(new StorageSettings(this.root));
		}

		@AfterEach
		void closeScope() {
			if (this.scope != null) {
				this.scope.close();
			}
		}

		ConversionContext contextFor(Task task, Path input) throws Exception {
			MediaFixtures.copy(input, this.storage.original(task));
			this.scope = new ProcessScope(task.id(), CEILING, Clock.systemUTC());
			return new ConversionContext(task, this.storage.original(task),
					this.storage.newTempFile(task, task.target().extension()), this.storage.workspace(task), this.progress::add,
					this.scope);
		}

		@Test
		void handlesMediaConversionsOnly() {
			assertThat(converter.handles(task("a.wav", Format.WAV, Format.MP3, null))).isTrue();
			assertThat(converter.handles(task("a.mp4", Format.MP4, Format.OGG, null))).isTrue();
			assertThat(converter.handles(task("a.png", Format.PNG, Format.ZIP, null))).isFalse();
			assertThat(converter.handles(task("a.zip", Format.ZIP, Format.TAR_GZ, null))).isFalse();
			assertThat(converter.handles(task("a.pdf", null, Format.SEVEN_Z, null))).isFalse();
		}

		@Test
		void convertsWavToMp3AndTightensTheDeadline() throws Exception {
			Task task = task("tone.wav", Format.WAV, Format.MP3, Quality.LOW);
			ConversionContext context = contextFor(task, wav);

			converter.convert(context);

			JsonNode result = MediaFixtures.probe(context.output(), Format.MP3.demuxers());
			assertThat(result.get("format").get("format_name").asText()).isEqualTo("mp3");
			assertThat(MediaFixtures.stream(result, "audio").get("codec_name").asText()).isEqualTo("mp3");
			assertThat(result.get("format").get("duration").asDouble()).isBetween(0.9, 1.2);
			assertThat(scope.limit()).isEqualTo(Duration.ofSeconds(130));
			assertThat(this.progress).as("ffmpeg's progress stream reaches the context")
				.isNotEmpty()
				.allSatisfy(fraction -> assertThat(fraction).isBetween(0.0, 1.0))
				.isSorted();
			assertThat(this.progress.get(this.progress.size() - 1)).isGreaterThan(0.9);
			try (var files = Files.list(storage.taskFolder(task))) {
				assertThat(files).allSatisfy(file -> assertThat(file.getFileName().toString())
					.satisfiesAnyOf(name -> assertThat(name).isEqualTo(task.originalFile()),
							name -> assertThat(name).startsWith(".part-")));
			}
		}

		@Test
		void refusesToTakeSoundFromASilentVideo() throws Exception {
			Task task = task("silent.mp4", Format.MP4, Format.MP3, null);
			ConversionContext context = contextFor(task, silentMp4);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file has no audio track to convert.");
			assertThat(context.output()).doesNotExist();
		}

		@Test
		void refusesToMakeAVideoOfSound() throws Exception {
			Task task = task("tone.mp4", Format.MP4, Format.WEBM, null);
			ConversionContext context = contextFor(task, wav);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file has no video track to convert.");
		}

		/** ffmpeg's WebP decoder reads stills only: libwebp's webpmux hands it the first frame. */
		@Test
		void convertsTheFirstFrameOfAnAnimatedWebp() throws Exception {
			Path animated = inputs.resolve("moving.webp");
			MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
					"testsrc=size=64x48:rate=5:duration=1", "-c:v", "libwebp", "-loop", "0", animated.toString()));
			assertThat(AnimatedWebp.is(animated)).isTrue();
			Task task = task("moving.webp", Format.WEBP, Format.PNG, null);
			ConversionContext context = contextFor(task, animated);

			converter.convert(context);

			JsonNode result = MediaFixtures.probe(context.output(), Format.PNG.demuxers());
			assertThat(MediaFixtures.stream(result, "video").get("width").asInt()).isEqualTo(64);
			assertThat(AnimatedWebp.is(wav)).isFalse();
		}

		/** An animated PNG is read by ffmpeg's apng demuxer (not png_pipe): its first frame. */
		@Test
		void convertsAnAnimatedPng() throws Exception {
			Path animated = inputs.resolve("moving.png");
			MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
					"testsrc=size=64x48:rate=5:duration=1", "-plays", "0", "-f", "apng", animated.toString()));
			Task task = task("moving.png", Format.PNG, Format.WEBP, null);
			ConversionContext context = contextFor(task, animated);

			converter.convert(context);

			JsonNode result = MediaFixtures.probe(context.output(), Format.WEBP.demuxers());
			assertThat(MediaFixtures.stream(result, "video").get("width").asInt()).isEqualTo(64);
		}

		@Test
		void refusesAnUnreadableInputWithoutShowingPaths() throws Exception {
			Path junk = Files.write(inputs.resolve("junk.mp3"), new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
			Task task = task("junk.mp3", Format.MP3, Format.OGG, null);
			ConversionContext context = contextFor(task, junk);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessageContaining("could not be read as audio")
				.message()
				.doesNotContain(root.toString(), "/");
		}

		@Test
		void convertsAVideoWithSoundAndReadsItsSizeAndDuration() throws Exception {
			Task task = task("clip.mp4", Format.MP4, Format.WEBM, Quality.LOW);
			ConversionContext context = contextFor(task, made.mp4());

			converter.convert(context);

			JsonNode result = MediaFixtures.probe(context.output(), Format.WEBM.demuxers());
			assertThat(MediaFixtures.stream(result, "video").get("width").asInt()).isEqualTo(64);
			assertThat(MediaFixtures.stream(result, "audio")).isNotNull();
			assertThat(scope.limit()).as("1 s of input: 2 min + 10 s").isEqualTo(Duration.ofSeconds(130));
		}

		@Test
		void convertsAPictureAndKeepsTheBaseDeadline() throws Exception {
			Task task = task("picture.png", Format.PNG, Format.JPG, null);
			ConversionContext context = contextFor(task, made.png());

			converter.convert(context);

			JsonNode result = MediaFixtures.probe(context.output(), Format.JPG.demuxers());
			assertThat(MediaFixtures.stream(result, "video").get("height").asInt()).isEqualTo(48);
			assertThat(scope.limit()).isLessThanOrEqualTo(Duration.ofSeconds(130));
		}

		@Test
		void refusesACodecOutsideTheDecoderAllowList() throws Exception {
			// ffmpeg's experimental wavelet codec: real, decodable, and not something people upload
			Path snow = inputs.resolve("snow.mkv");
			MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64:d=0.5", "-c:v",
					"snow", "-strict", "-2", snow.toString()));
			ConversionContext context = contextFor(task("snow.mkv", Format.MKV, Format.MP4, null), snow);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file uses a codec this service does not read.");
		}

		@Test
		void refusesAnHlsPlaylistThatPointsAtALocalFile() throws Exception {
			Path playlist = Files.writeString(made.segmentTs().resolveSibling("list.m3u8"), """
					#EXTM3U
					#EXT-X-VERSION:3
					#EXT-X-TARGETDURATION:1
					#EXTINF:1.0,
					%s
					#EXT-X-ENDLIST
					""".formatted(made.segmentTs().toAbsolutePath()));
			assertThat(MediaFixtures.attempt(List.of("ffmpeg", "-v", "error", "-i", playlist.toString(), "-f", "null", "-"))
				.exitCode()).as("without the allow-lists ffmpeg follows the playlist").isZero();
			ConversionContext context = contextFor(task("list.mp4", Format.MP4, Format.WEBM, null), playlist);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file could not be read as video: it is damaged, truncated or not a supported format.");
			assertThat(context.output()).doesNotExist();
		}

		@Test
		void refusesAConcatListThatPointsAtALocalFile() throws Exception {
			Path list = Files.writeString(inputs.resolve("list.ffconcat"), """
					ffconcat version 1.0
					file '%s'
					""".formatted(wav.toAbsolutePath()));
			assertThat(MediaFixtures.attempt(List.of("ffmpeg", "-v", "error", "-safe", "0", "-i", list.toString(), "-f",
					"null", "-")).exitCode()).as("without the allow-lists ffmpeg follows the list").isZero();
			ConversionContext context = contextFor(task("list.wav", Format.WAV, Format.MP3, null), list);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file could not be read as audio: it is damaged, truncated or not a supported format.");
		}

		@Test
		void refusesATruncatedVideo() throws Exception {
			byte[] bytes = Files.readAllBytes(made.mp4());
			Path truncated = Files.write(inputs.resolve("truncated.mp4"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
			ConversionContext context = contextFor(task("truncated.mp4", Format.MP4, Format.WEBM, null), truncated);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessageContaining("could not be read as video");
		}

		@Test
		void refusesAPictureTooWide() throws Exception {
			MediaConverter small = new MediaConverter(settings(32, 50_000_000, Duration.ofHours(6)), new JobRunrProperties());
			ConversionContext context = contextFor(task("picture.png", Format.PNG, Format.WEBP, null), made.png());

			assertThatThrownBy(() -> small.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The picture is too large (64x48); the limit is 32 pixels a side.");
			assertThat(context.output()).as("what ffmpeg wrote before it was stopped is gone").doesNotExist();
		}

		@Test
		void refusesAVideoOfTooManyPixelsThoughNoSideIsTooLong() throws Exception {
			MediaConverter crowded = new MediaConverter(settings(64, 64 * 48 - 1, Duration.ofHours(6)),
					new JobRunrProperties());
			ConversionContext context = contextFor(task("clip.mp4", Format.MP4, Format.WEBM, null), made.mp4());

			assertThatThrownBy(() -> crowded.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessageStartingWith("The picture is too large");
		}

		@Test
		void refusesAFileLongerThanTheLimit() throws Exception {
			MediaConverter brief = new MediaConverter(settings(8192, 50_000_000, Duration.ofMillis(500)),
					new JobRunrProperties());
			ConversionContext context = contextFor(task("tone.wav", Format.WAV, Format.MP3, null), wav);

			assertThatThrownBy(() -> brief.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessageStartingWith("The file is too long");
		}

		/**
		 * Matroska written to a pipe (as live recorders do) states no duration ("Duration: N/A"):
		 * ffmpeg's progress still stops it at the limit.
		 */
		@Test
		void stopsAnInputThatDoesNotSayHowLongItIsAtTheLimit() throws Exception {
			Path live = inputs.resolve("live.mkv");
			MediaFixtures.run(List.of("sh", "-c", "ffmpeg -v error -y -f lavfi -i sine=frequency=440:sample_rate=8000:duration=5 "
					+ "-c:a libvorbis -f matroska pipe:1 > " + live));
			assertThat(MediaFixtures.attempt(List.of("ffmpeg", "-hide_banner", "-i", live.toString())).errors())
				.contains("Duration: N/A");
			MediaConverter brief = new MediaConverter(settings(8192, 50_000_000, Duration.ofSeconds(2)),
					new JobRunrProperties());
			ConversionContext context = contextFor(task("live.mkv", Format.MKV, Format.WAV, null), live);

			assertThatThrownBy(() -> brief.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessageStartingWith("The file is too long");
		}

		/** A PNG header claiming 100000x100000: ffmpeg reads no size, so there is no picture to convert. */
		@Test
		void refusesAPictureWhoseSizeCannotBeRead() throws Exception {
			java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
			png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
			chunk(png, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8)
				.put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
			java.util.zip.Deflater deflater = new java.util.zip.Deflater();
			deflater.setInput(new byte[64]);
			deflater.finish();
			byte[] compressed = new byte[128];
			int length = deflater.deflate(compressed);
			deflater.end();
			chunk(png, "IDAT", java.util.Arrays.copyOf(compressed, length));
			chunk(png, "IEND", new byte[0]);
			Path huge = Files.write(inputs.resolve("huge.png"), png.toByteArray());
			ConversionContext context = contextFor(task("huge.png", Format.PNG, Format.JPG, null), huge);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file holds no picture.");
		}

		private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
			java.util.zip.CRC32 crc = new java.util.zip.CRC32();
			byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
			crc.update(name);
			crc.update(data);
			out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
			out.writeBytes(name);
			out.writeBytes(data);
			out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
		}

		@Test
		void refusesSoundAsAPicture() throws Exception {
			ConversionContext context = contextFor(task("tone.png", Format.PNG, Format.JPG, null), wav);

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file holds no picture.");
		}

		@Test
		void refusesAVideoContainerWithNeitherSoundNorPicture() throws Exception {
			ConversionContext context = contextFor(task("words.mkv", Format.MKV, Format.MP4, null),
					made.subtitlesOnlyMkv());

			assertThatThrownBy(() -> converter.convert(context)).isInstanceOf(RejectedInputException.class)
				.hasMessage("The file holds neither audio nor video.");
		}

		@Test
		void stopsWhenCancelledBeforeItStarts() throws Exception {
			Task task = task("tone.wav", Format.WAV, Format.OGG, null);
			ConversionContext context = contextFor(task, wav);
			scope.cancel();

			// the runner reads an interruption of a cancelled scope as "cancelled", never as the input's fault
			assertThatThrownBy(() -> converter.convert(context)).isNotInstanceOf(RejectedInputException.class)
				.isInstanceOf(InterruptedException.class);
			assertThat(context.output()).doesNotExist();
		}

		@Test
		void stopsWhenCancelledWhileFfmpegRuns() throws Exception {
			Path long_ = inputs.resolve("long.wav");
			MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
					"sine=frequency=440:sample_rate=48000:duration=600", "-c:a", "pcm_s16le", long_.toString()));
			Task task = task("long.wav", Format.WAV, Format.OPUS, null);
			ConversionContext context = contextFor(task, long_);
			Thread canceller = new Thread(() -> {
				try {
					Thread.sleep(300);
				}
				catch (InterruptedException ex) {
					return;
				}
				scope.cancel();
			});
			canceller.start();
			long started = System.nanoTime();

			assertThatThrownBy(() -> converter.convert(context)).isNotInstanceOf(RejectedInputException.class)
				.isInstanceOf(InterruptedException.class);
			canceller.join();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("killed, not run to its end")
				.isLessThan(Duration.ofSeconds(5));
		}

	}

}
