package com.cct.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.cct.format.Format;
import com.cct.format.Quality;
import com.cct.storage.FileStorage;
import com.cct.task.Task;
import com.cct.task.TaskStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Tiny media made by ffmpeg's own generators at test time, and ffprobe to look at results independently. */
final class MediaFixtures {

	private static final ObjectMapper JSON = new ObjectMapper();

	private MediaFixtures() {
	}

	/** The inputs the media tests read, all made by one ffmpeg run (starting ffmpeg is the slow part). */
	record Inputs(Path mp4, Path silentMp4, Path tallMp4, Path wav, Path png, Path segmentTs, Path subtitlesOnlyMkv) {
	}

	/** The artist tag {@link Inputs#wav()} carries, to see that conversions drop metadata. */
	static final String ARTIST = "Secret Person";

	/**
	 * One second of a 64x48 test picture at 10 fps with a 440 Hz tone (H.264 and AAC in MP4), the same
	 * without sound, a short 96x720 video with sound, the tone alone (mono 44.1 kHz WAV, tagged), the
	 * first picture as PNG, the video as an MPEG-TS segment and a Matroska file holding subtitles only.
	 */
	static Inputs inputs(Path dir) throws Exception {
		Path subtitles = Files.writeString(dir.resolve("words.srt"), """
				1
				00:00:00,000 --> 00:00:01,000
				Hello

				""");
		Inputs inputs = new Inputs(dir.resolve("clip.mp4"), dir.resolve("silent.mp4"), dir.resolve("tall.mp4"),
				dir.resolve("tone.wav"), dir.resolve("picture.png"), dir.resolve("segment.ts"), dir.resolve("words.mkv"));
		List<String> h264 = List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
				"-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-f", "lavfi", "-i",
				"sine=frequency=440:sample_rate=44100:duration=1", "-f", "lavfi", "-i",
				"testsrc=size=96x720:rate=5:duration=0.4", "-i", subtitles.toString()));
		command.addAll(List.of("-map", "0:v", "-map", "1:a"));
		command.addAll(h264);
		command.addAll(List.of("-c:a", "aac", "-f", "mp4", inputs.mp4().toString()));
		command.addAll(List.of("-map", "0:v"));
		command.addAll(h264);
		command.addAll(List.of("-f", "mp4", inputs.silentMp4().toString()));
		command.addAll(List.of("-map", "2:v", "-map", "1:a", "-shortest"));
		command.addAll(h264);
		command.addAll(List.of("-c:a", "aac", "-f", "mp4", inputs.tallMp4().toString()));
		command.addAll(List.of("-map", "1:a", "-c:a", "pcm_s16le", "-metadata", "artist=" + ARTIST, "-f", "wav",
				inputs.wav().toString()));
		command.addAll(List.of("-map", "0:v", "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1",
				inputs.png().toString()));
		command.addAll(List.of("-map", "0:v", "-map", "1:a"));
		command.addAll(h264);
		command.addAll(List.of("-c:a", "aac", "-f", "mpegts", inputs.segmentTs().toString()));
		command.addAll(List.of("-map", "3:s", "-c:s", "srt", "-f", "matroska", inputs.subtitlesOnlyMkv().toString()));
		run(command);
		for (Path file : List.of(inputs.mp4(), inputs.silentMp4(), inputs.tallMp4(), inputs.wav(), inputs.png(),
				inputs.segmentTs(), inputs.subtitlesOnlyMkv())) {
			assertThat(file).isNotEmptyFile();
		}
		return inputs;
	}

	/** Runs a command to completion and returns its standard output; a failure fails the test. */
	static String run(List<String> command) throws Exception {
		ProcessResult result = attempt(command);
		assertThat(result.exitCode()).as("%s%n%s", String.join(" ", command), result.errors()).isZero();
		return result.output();
	}

	record ProcessResult(int exitCode, String output, String errors) {
	}

	static ProcessResult attempt(List<String> command) throws Exception {
		Path out = Files.createTempFile("media-test", ".out");
		Path err = Files.createTempFile("media-test", ".err");
		try {
			Process process = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null")))
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(String.join(" ", command) + " did not finish");
			}
			return new ProcessResult(process.exitValue(), Files.readString(out), Files.readString(err));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	/** What ffprobe, limited to the given demuxers, says about a file: format and streams. */
	static JsonNode probe(Path file, List<String> demuxers) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_format",
				"-show_streams"));
		if (!demuxers.isEmpty()) {
			command.addAll(List.of("-format_whitelist", String.join(",", demuxers)));
		}
		command.add(file.toString());
		return JSON.readTree(run(command));
	}

	static JsonNode stream(JsonNode probe, String type) {
		for (JsonNode stream : probe.get("streams")) {
			if (type.equals(stream.get("codec_type").asText())) {
				return stream;
			}
		}
		return null;
	}

	static Task task(String fileName, Format source, Format target, Quality quality) {
		return new Task(UUID.randomUUID(), UUID.randomUUID(), fileName, source, target, quality, TaskStatus.PROCESSING,
				0, 1, null, FileStorage.newStoredName(source == null ? "bin" : source.extension()),
				FileStorage.newStoredName(target.extension()), null, false, null, Instant.now(), Instant.now(), null, 0);
	}

	static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to.getParent());
		Files.copy(from, to);
	}

}
