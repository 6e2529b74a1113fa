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

	static final FfmpegSettings SETTINGS = new FfmpegSettings("ffmpeg", "ffprobe", 1, 8192, 50_000_000,
			Duration.ofHours(6), Duration.ofSeconds(10), Duration.ofMinutes(2), 1000, DataSize.ofMegabytes(256));

	static final Duration CEILING = Duration.ofMinutes(30);

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
			MediaFixtures.Inputs made = MediaFixtures.inputs(inputs);
			wav = made.wav();
			silentMp4 = made.silentMp4();
			converter = new MediaConverter(SETTINGS, new MediaProbe(SETTINGS), new JobRunrProperties());
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
		void stopsWhenCancelledBeforeItStarts() throws Exception {
			Task task = task("tone.wav", Format.WAV, Format.OGG, null);
			ConversionContext context = contextFor(task, wav);
			scope.cancel();

			assertThatThrownBy(() -> converter.convert(context)).isNotInstanceOf(RejectedInputException.class)
				.isInstanceOf(java.io.IOException.class);
			assertThat(context.output()).doesNotExist();
		}

	}

}
