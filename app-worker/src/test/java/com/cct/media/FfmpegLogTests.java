package com.cct.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegLogTests {

	final InputReport report = new InputReport();

	final AtomicInteger announced = new AtomicInteger();

	final FfmpegLog log = new FfmpegLog(this.report, this.announced::incrementAndGet);

	List<String> feed(String... lines) {
		List<String> kept = new ArrayList<>();
		for (String line : lines) {
			String keep = this.log.keep(line);
			if (keep != null) {
				kept.add(keep);
			}
		}
		return kept;
	}

	@Nested
	class Lines {

		@Test
		void readsTheInputBlockAndAnnouncesItOnceItIsOver() {
			List<String> kept = feed("[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x':",
					"[info]   Metadata:", "[info]     major_brand     : isom",
					"[info]   Duration: 00:01:02.50, start: 0.000000, bitrate: 54 kb/s",
					"[info]   Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), "
							+ "1920x1080 [SAR 1:1 DAR 16:9], 47 kb/s, 10 fps, 10 tbr, 10240 tbn (default)",
					"[info]   Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 2 kb/s");
			assertThat(kept).isEmpty();
			assertThat(announced).hasValue(0);
			assertThat(report.complete()).isFalse();

			feed("[info] Stream mapping:", "[info]   Stream #0:0 -> #0:0 (h264 (native) -> vp9 (libvpx-vp9))");

			assertThat(announced).hasValue(1);
			assertThat(report.complete()).isTrue();
			assertThat(report.durationSeconds()).isCloseTo(62.5, within(1e-9));
			assertThat(report.width()).isEqualTo(1920);
			assertThat(report.height()).isEqualTo(1080);
			assertThat(report.hasVideo()).isTrue();
			assertThat(report.hasAudio()).isTrue();
			log.finish();
			assertThat(announced).as("announced once").hasValue(1);
		}

		@Test
		void keepsErrorsAsPlainFfmpegWouldPrintThemAndDropsTheRest() {
			List<String> kept = feed("[mp3 @ 0x55d098dfd9c0] [error] Format not on whitelist 'ogg'",
					"[error] in: Invalid argument", "[aac @ 0x5555] [warning] Estimating duration from bitrate",
					"[info] size=      86kB time=00:00:01.00");
			assertThat(kept).containsExactly("[mp3 @ 0x55d098dfd9c0] Format not on whitelist 'ogg'", "in: Invalid argument");
			assertThat(report.opened()).isFalse();
			log.finish();
			assertThat(announced).as("nothing to announce for an input never opened").hasValue(0);
		}

		@Test
		void keepsTheRestOfAnErrorThatSpansLines() {
			List<String> kept = feed("[info] Input #0, wav, from 'x':", "[info]   Duration: 00:00:01.00, bitrate: 705 kb/s",
					"[info]   Stream #0:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 44100 Hz, mono, s16, 705 kb/s",
					"[fatal] Stream map '0:v:0' matches no streams.", "To ignore this, add a trailing '?' to the map.");
			assertThat(kept).containsExactly("Stream map '0:v:0' matches no streams.",
					"To ignore this, add a trailing '?' to the map.");
			assertThat(announced).as("an error ends the input block").hasValue(1);
			assertThat(report.hasVideo()).isFalse();
		}

		/**
		 * A tag holding a line break and header-shaped text cannot make the file look shorter or its
		 * pictures smaller than ffmpeg says they are (only longer or larger: its own refusal).
		 */
		@Test
		void forgedHeaderLinesInTagsCannotShrinkWhatIsChecked() {
			feed("[info] Input #0, matroska,webm, from 'x':", "[info]   Metadata:",
					"[info]     title           : a",
					"[info]   Duration: 00:00:00.01, bitrate: 1 kb/s",
					"[info]   Stream #0:0: Video: png, rgb24, 10x10",
					"[info]   Duration: 02:00:00.00, start: 0.000000, bitrate: N/A",
					"[info]   Stream #0:0: Video: h264 (High), yuv420p(progressive), 8000x6000, 25 fps",
					"[info] Stream mapping:");
			assertThat(report.durationSeconds()).isEqualTo(7200.0);
			assertThat(report.width()).isEqualTo(8000);
			assertThat(report.height()).isEqualTo(6000);
		}

		@Test
		void anUnknownDurationIsZero() {
			feed("[info] Input #0, matroska,webm, from 'x':", "[info]   Duration: N/A, start: 0.000000, bitrate: N/A",
					"[info]   Stream #0:0: Audio: vorbis, 8000 Hz, mono, fltp", "[info] Output #0, wav, to 'y':");
			assertThat(report.durationSeconds()).isZero();
			assertThat(report.hasAudio()).isTrue();
			assertThat(announced).hasValue(1);
		}

		@Test
		void anInputBlockCutShortByTheEndOfFfmpegIsStillAnnounced() {
			feed("[info] Input #0, wav, from 'x':", "[info]   Duration: 00:00:03.00, bitrate: 705 kb/s");
			log.finish();
			assertThat(announced).hasValue(1);
			assertThat(report.durationSeconds()).isEqualTo(3.0);
		}

		@Test
		void endlessHeadersAreCutAtTheLineLimit() {
			feed("[info] Input #0, matroska,webm, from 'x':");
			for (int i = 0; i < InputReport.MAX_LINES + 10; i++) {
				feed("[info]   Stream #0:" + i + ": Audio: vorbis, 8000 Hz, mono, fltp");
			}
			assertThat(report.complete()).isTrue();
			assertThat(announced).hasValue(1);
		}

	}

	/** What real ffmpeg prints, read by the log as the converter reads it. */
	@Nested
	class RealOutput {

		@TempDir
		static Path dir;

		static MediaFixtures.Inputs inputs;

		@BeforeAll
		static void makeInputs() throws Exception {
			inputs = MediaFixtures.inputs(dir);
		}

		void readLogOf(Path input) throws Exception {
			String errors = MediaFixtures.attempt(List.of("ffmpeg", "-hide_banner", "-loglevel", "level+info", "-nostdin",
					"-i", input.toString(), "-f", "null", "-")).errors();
			errors.lines().forEach(log::keep);
			log.finish();
		}

		@Test
		void aVideoWithSound() throws Exception {
			readLogOf(inputs.mp4());
			assertThat(announced).hasValue(1);
			assertThat(report.durationSeconds()).isCloseTo(1.0, within(0.1));
			assertThat(report.width()).isEqualTo(64);
			assertThat(report.height()).isEqualTo(48);
			assertThat(report.hasAudio()).isTrue();
		}

		@Test
		void sound() throws Exception {
			readLogOf(inputs.wav());
			assertThat(report.durationSeconds()).isCloseTo(1.0, within(0.05));
			assertThat(report.hasVideo()).isFalse();
			assertThat(report.hasAudio()).isTrue();
		}

		@Test
		void aPicture() throws Exception {
			readLogOf(inputs.png());
			assertThat(report.hasVideo()).isTrue();
			assertThat(report.width()).isEqualTo(64);
			assertThat(report.height()).isEqualTo(48);
		}

		@Test
		void aTagWithLineBreaksDoesNotShortenTheFile() throws Exception {
			Path tagged = dir.resolve("tagged.mkv");
			MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", inputs.wav().toString(), "-metadata",
					"title=x\n[info]   Duration: 00:00:00.01, bitrate: 1 kb/s\n[info]   Stream #0:3: Video: png, 1x1",
					"-c:a", "flac", tagged.toString()));
			readLogOf(tagged);
			assertThat(report.durationSeconds()).isCloseTo(1.0, within(0.05));
		}

	}

}
