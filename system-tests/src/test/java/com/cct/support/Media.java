package com.cct.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test media made with ffmpeg's lavfi sources at test time, and ffprobe to check results. */
public final class Media {

	private Media() {
	}

	public static Path audio(Path folder, String name, int seconds) {
		return ffmpeg(folder.resolve(name), "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds);
	}

	public static Path video(Path folder, String name, int seconds) {
		return ffmpeg(folder.resolve(name), "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=" + seconds,
				"-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-shortest", "-pix_fmt", "yuv420p");
	}

	/**
	 * An hour of 8 kHz tone as FLAC: small (about 13 MB) and quick to make, but a few seconds of
	 * encoding (2.4 s on a fast machine), long enough to watch, cancel or kill a conversion.
	 */
	public static Path hourOfAudio(Path folder, String name) {
		return ffmpeg(folder.resolve(name), "-f", "lavfi", "-i", "sine=frequency=300:duration=3600:sample_rate=8000");
	}

	/**
	 * An hour of 32 kHz tone as FLAC (about 34 MB): about 9 s of encoding on a fast machine, for a
	 * deadline of a few seconds that must pass (the 8 kHz hour can finish before a 4 s one).
	 */
	public static Path longHourOfAudio(Path folder, String name) {
		return ffmpeg(folder.resolve(name), "-f", "lavfi", "-i", "sine=frequency=300:duration=3600:sample_rate=32000");
	}

	public static Path image(Path folder, String name) {
		return ffmpeg(folder.resolve(name), "-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1");
	}

	public static Path ffmpeg(Path target, String... args) {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
		command.addAll(List.of(args));
		command.add(target.toString());
		run(command);
		return target;
	}

	/** ffprobe's view of a file: format and streams. */
	public static JsonNode probe(Path file) {
		String out = run(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
				file.toString()));
		try {
			return new ObjectMapper().readTree(out);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	public static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
			process.getOutputStream().close();
			byte[] out = process.getInputStream().readAllBytes();
			String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new AssertionError(command + " failed: " + err);
			}
			return new String(out, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new AssertionError("ffmpeg/ffprobe must be installed (make test installs it)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	public static Path write(Path file, byte[] bytes) {
		try {
			return Files.write(file, bytes);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

}
