package com.cct.media;

import static com.cct.media.MediaFixtures.probe;
import static com.cct.media.MediaFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.cct.format.Format;
import com.cct.format.Quality;

import com.fasterxml.jackson.databind.JsonNode;

class FfmpegCommandsTests {

	static final Path INPUT = Path.of("/work/task/input.bin");

	static final Path OUTPUT = Path.of("/work/task/.part-output");

	/** The encoder each target is written with: video and audio for video targets. */
	static final Map<Format, List<String>> ENCODERS = Map.ofEntries(Map.entry(Format.MP4, List.of("libx264", "aac")),
			Map.entry(Format.MOV, List.of("libx264", "aac")), Map.entry(Format.MKV, List.of("libx264", "aac")),
			Map.entry(Format.TS, List.of("libx264", "aac")), Map.entry(Format.FLV, List.of("libx264", "aac")),
			Map.entry(Format.THREE_GP, List.of("libx264", "aac")), Map.entry(Format.OGV, List.of("libtheora", "libvorbis")),
			Map.entry(Format.AIFF, List.of("pcm_s16be")), Map.entry(Format.AC3, List.of("ac3")),
			Map.entry(Format.AVIF, List.of("libaom-av1")),
			Map.entry(Format.WEBM, List.of("libvpx-vp9", "libopus")),
			Map.entry(Format.AVI, List.of("mpeg4", "libmp3lame")), Map.entry(Format.MPEG, List.of("mpeg2video", "mp2")),
			Map.entry(Format.WMV, List.of("wmv2", "wmav2")), Map.entry(Format.MP3, List.of("libmp3lame")),
			Map.entry(Format.AAC, List.of("aac")), Map.entry(Format.M4A, List.of("aac")),
			Map.entry(Format.M4B, List.of("aac")), Map.entry(Format.AU, List.of("pcm_s16be")),
			Map.entry(Format.CAF, List.of("alac")), Map.entry(Format.OGG, List.of("libvorbis")), Map.entry(Format.OPUS, List.of("libopus")),
			Map.entry(Format.WMA, List.of("wmav2")), Map.entry(Format.FLAC, List.of("flac")),
			Map.entry(Format.WAV, List.of("pcm_s16le")), Map.entry(Format.JPG, List.of("mjpeg")),
			Map.entry(Format.PNG, List.of("png")), Map.entry(Format.WEBP, List.of("libwebp")),
			Map.entry(Format.GIF, List.of("gif")), Map.entry(Format.BMP, List.of("bmp")),
			Map.entry(Format.TIFF, List.of("tiff")));

	/** What ffprobe calls the codecs those encoders write. */
	static final Map<Format, List<String>> CODECS = Map.ofEntries(Map.entry(Format.MP4, List.of("h264", "aac")),
			Map.entry(Format.MOV, List.of("h264", "aac")), Map.entry(Format.MKV, List.of("h264", "aac")),
			Map.entry(Format.TS, List.of("h264", "aac")), Map.entry(Format.FLV, List.of("h264", "aac")),
			Map.entry(Format.THREE_GP, List.of("h264", "aac")), Map.entry(Format.OGV, List.of("theora", "vorbis")),
			Map.entry(Format.AIFF, List.of("pcm_s16be")), Map.entry(Format.AC3, List.of("ac3")),
			Map.entry(Format.AVIF, List.of("av1")),
			Map.entry(Format.WEBM, List.of("vp9", "opus")), Map.entry(Format.AVI, List.of("mpeg4", "mp3")),
			Map.entry(Format.MPEG, List.of("mpeg2video", "mp2")), Map.entry(Format.WMV, List.of("wmv2", "wmav2")),
			Map.entry(Format.MP3, List.of("mp3")), Map.entry(Format.AAC, List.of("aac")),
			Map.entry(Format.M4A, List.of("aac")), Map.entry(Format.M4B, List.of("aac")),
			Map.entry(Format.AU, List.of("pcm_s16be")), Map.entry(Format.CAF, List.of("alac")),
			Map.entry(Format.OGG, List.of("vorbis")),
			Map.entry(Format.OPUS, List.of("opus")), Map.entry(Format.WMA, List.of("wmav2")),
			Map.entry(Format.FLAC, List.of("flac")), Map.entry(Format.WAV, List.of("pcm_s16le")),
			Map.entry(Format.JPG, List.of("mjpeg")), Map.entry(Format.PNG, List.of("png")),
			Map.entry(Format.WEBP, List.of("webp")), Map.entry(Format.GIF, List.of("gif")),
			Map.entry(Format.BMP, List.of("bmp")), Map.entry(Format.TIFF, List.of("tiff")));

	static List<String> build(Format target, Quality quality) {
		return FfmpegCommands.convert(INPUT, target, quality, OUTPUT, 3, 50_000_000).build();
	}

	static List<String> inputPart(List<String> args) {
		return args.subList(0, args.indexOf("-i") + 2);
	}

	static List<String> outputPart(List<String> args) {
		return args.subList(args.indexOf("-i") + 2, args.size());
	}

	static String after(List<String> args, String flag) {
		int at = args.indexOf(flag);
		assertThat(at).as("%s in %s", flag, args).isNotNegative();
		return args.get(at + 1);
	}

	static boolean hasPair(List<String> args, String flag, String value) {
		for (int i = 0; i + 1 < args.size(); i++) {
			if (args.get(i).equals(flag) && args.get(i + 1).equals(value)) {
				return true;
			}
		}
		return false;
	}

	static Stream<Arguments> everyMediaTargetAndQuality() {
		return Arrays.stream(Format.values())
			.filter(format -> format.kind().isMedia() && format.writable())
			.flatMap(target -> Arrays.stream(Quality.values()).map(quality -> Arguments.of(target, quality)));
	}

	@Nested
	class Building {

		@ParameterizedTest(name = "{0} {1}")
		@MethodSource("com.cct.media.FfmpegCommandsTests#everyMediaTargetAndQuality")
		void readsOnlyTheLocalInputThroughTheAllowedDemuxersAndDecoders(Format target, Quality quality) {
			List<String> args = build(target, quality);
			List<String> input = inputPart(args);

			assertThat(input).endsWith("-i", INPUT.toString());
			assertThat(hasPair(input, "-protocol_whitelist", "file")).as("%s", args).isTrue();
			assertThat(hasPair(input, "-format_whitelist", FfmpegCommands.DEMUXERS)).as("%s", args).isTrue();
			assertThat(hasPair(input, "-codec_whitelist", Decoders.ALLOWED)).as("%s", args).isTrue();
			assertThat(hasPair(input, "-max_pixels", "50000000")).as("%s", args).isTrue();
			assertThat(input).contains("-nostdin", "-nostats", "-y", "-hide_banner");
			assertThat(input).as("no demuxer is named: only the content picks one, among the allowed")
				.doesNotContain("-f");
			assertThat(hasPair(input, "-loglevel", "level+info")).as("the log says each line's level").isTrue();
			assertThat(input.lastIndexOf("-loglevel")).as("after bramp's own -v").isGreaterThan(input.indexOf("-v"));
			assertThat(hasPair(input, "-progress", "pipe:1")).as("%s", args).isTrue();
			assertThat(args).containsOnlyOnce("-i");
		}

		@Test
		void theDemuxerAllowListIsEveryFormatsDemuxersAndNothingThatOpensOtherFiles() {
			assertThat(FfmpegCommands.DEMUXERS).isEqualTo(String.join(",", Format.allDemuxers()));
			assertThat(Arrays.asList(FfmpegCommands.DEMUXERS.split(","))).contains("wav", "mov", "matroska", "png_pipe")
				.doesNotContain("hls", "concat", "image2", "dash", "lavfi", "tee", "ffmetadata", "");
		}

		@ParameterizedTest(name = "{0} {1}")
		@MethodSource("com.cct.media.FfmpegCommandsTests#everyMediaTargetAndQuality")
		void writesOneOutputThroughTheTargetsMuxerWithoutMetadata(Format target, Quality quality) {
			List<String> output = outputPart(build(target, quality));

			assertThat(after(output, "-f")).isEqualTo(target.muxer().orElseThrow());
			assertThat(output).last().isEqualTo(OUTPUT.toString());
			assertThat(hasPair(output, "-threads", "3")).as("%s", output).isTrue();
			assertThat(hasPair(output, "-map_metadata", "-1")).as("%s", output).isTrue();
			assertThat(output).contains("-sn", "-dn");
		}

		@ParameterizedTest(name = "{0} {1}")
		@MethodSource("com.cct.media.FfmpegCommandsTests#everyMediaTargetAndQuality")
		void encodesWithTheTargetsCodecs(Format target, Quality quality) {
			List<String> output = outputPart(build(target, quality));
			List<String> encoders = ENCODERS.get(target);
			switch (target.kind()) {
				case VIDEO -> {
					assertThat(after(output, "-vcodec")).isEqualTo(encoders.get(0));
					assertThat(after(output, "-acodec")).isEqualTo(encoders.get(1));
					assertThat(hasPair(output, "-map", "0:v:0")).isTrue();
					assertThat(hasPair(output, "-map", "0:a:0?")).as("sound is optional for video").isTrue();
				}
				case AUDIO -> {
					assertThat(after(output, "-acodec")).isEqualTo(encoders.get(0));
					assertThat(output).contains("-vn").doesNotContain("-vcodec");
					assertThat(hasPair(output, "-map", "0:a:0")).isTrue();
				}
				case IMAGE -> {
					assertThat(after(output, "-vcodec")).isEqualTo(encoders.get(0));
					assertThat(output).contains("-an").doesNotContain("-acodec");
					assertThat(hasPair(output, "-frames:v", "1")).isTrue();
				}
				case ARCHIVE -> throw new IllegalStateException();
			}
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "MP4", "WEBM", "AVI", "MPEG", "WMV", "MOV", "MKV" })
		void lowQualityScalesVideoDownTo480Lines(Format target) {
			assertThat(after(build(target, Quality.LOW), "-vf")).isEqualTo("scale=-2:'min(480,trunc(ih/2)*2)'");
			assertThat(after(build(target, Quality.MEDIUM), "-vf")).isEqualTo("scale=trunc(iw/2)*2:trunc(ih/2)*2");
			assertThat(after(build(target, Quality.HIGH), "-vf")).doesNotContain("480");
		}

		@Test
		void onlyMp4AndMovMoveTheirIndexToTheFront() {
			assertThat(hasPair(build(Format.MP4, Quality.HIGH), "-movflags", "+faststart")).isTrue();
			assertThat(hasPair(build(Format.MOV, Quality.HIGH), "-movflags", "+faststart")).isTrue();
			assertThat(build(Format.MKV, Quality.HIGH)).doesNotContain("-movflags");
		}

		@Test
		void lowerQualityMeansLessBitsForLossyTargets() {
			assertThat(after(build(Format.MP4, Quality.HIGH), "-crf")).isEqualTo("20");
			assertThat(after(build(Format.MP4, Quality.LOW), "-crf")).isEqualTo("30");
			assertThat(after(build(Format.WEBM, Quality.LOW), "-crf")).isEqualTo("45");
			assertThat(after(build(Format.MP3, Quality.HIGH), "-b:a")).isEqualTo("192000");
			assertThat(after(build(Format.MP3, Quality.MEDIUM), "-b:a")).isEqualTo("128000");
			assertThat(after(build(Format.MP3, Quality.LOW), "-b:a")).isEqualTo("64000");
			assertThat(after(build(Format.OPUS, Quality.LOW), "-b:a")).isEqualTo("48000");
			assertThat(after(build(Format.OGG, Quality.HIGH), "-q:a")).isEqualTo("6");
			assertThat(after(build(Format.JPG, Quality.LOW), "-q:v")).isEqualTo("12");
			assertThat(after(build(Format.WEBP, Quality.HIGH), "-quality")).isEqualTo("90");
		}

		@Test
		void lowQualityHalvesPicturesAndMakesWavMono() {
			assertThat(after(build(Format.PNG, Quality.LOW), "-vf")).isEqualTo("scale=trunc(iw/4)*2:-2");
			assertThat(build(Format.PNG, Quality.HIGH)).doesNotContain("-vf");
			List<String> wav = build(Format.WAV, Quality.LOW);
			assertThat(hasPair(wav, "-ac", "1")).as("%s", wav).isTrue();
			assertThat(hasPair(wav, "-ar", "22050")).as("%s", wav).isTrue();
			assertThat(build(Format.WAV, Quality.HIGH)).doesNotContain("-ac", "-ar");
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "MP4", "MP3", "PNG" })
		void noQualityMeansMedium(Format target) {
			assertThat(build(target, null)).isEqualTo(build(target, Quality.MEDIUM));
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ", "TAR_BZ2", "TAR_XZ" })
		void refusesArchiveTargets(Format target) {
			assertThatThrownBy(() -> build(target, Quality.MEDIUM)).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("archives");
		}

	}

	/**
	 * The built commands run by the real ffmpeg, for the targets with the least common muxers and for
	 * what quality changes; each result is read back only through the target's own demuxers, the way
	 * the service reads its inputs.
	 */
	@Nested
	class Running {

		@TempDir
		static Path dir;

		static MediaFixtures.Inputs inputs;

		@BeforeAll
		static void makeInputs() throws Exception {
			inputs = MediaFixtures.inputs(dir);
		}

		static JsonNode convert(Path input, Format target, Quality quality) throws Exception {
			Path output = dir.resolve("out-" + target.id() + "-" + quality.id() + "." + target.extension());
			List<String> command = new ArrayList<>(List.of("ffmpeg"));
			command.addAll(FfmpegCommands.convert(input, target, quality, output, 1, 50_000_000).build());
			MediaFixtures.run(command);
			JsonNode result = probe(output, target.demuxers());
			assertThat(result.get("format").get("format_name").asText()).isIn(target.demuxers());
			return result;
		}

		static String latin1(Path file) throws IOException {
			return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
		}

		static String codec(JsonNode result, String type) {
			JsonNode stream = stream(result, type);
			assertThat(stream).as("a %s stream in %s", type, result).isNotNull();
			return stream.get("codec_name").asText();
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "WEBM", "MPEG", "WMV", "M4A", "OPUS", "WEBP", "TS", "FLV", "THREE_GP",
				"OGV", "AIFF", "AC3", "AVIF" })
		void writesTargetsThatReadBackAsTheirFormat(Format target) throws Exception {
			JsonNode result = switch (target.kind()) {
				case VIDEO -> convert(inputs.mp4(), target, Quality.MEDIUM);
				case AUDIO -> convert(inputs.wav(), target, Quality.MEDIUM);
				default -> convert(inputs.png(), target, Quality.MEDIUM);
			};

			List<String> codecs = CODECS.get(target);
			switch (target.kind()) {
				case VIDEO -> {
					assertThat(codec(result, "video")).isEqualTo(codecs.get(0));
					assertThat(codec(result, "audio")).isEqualTo(codecs.get(1));
				}
				case AUDIO -> {
					assertThat(codec(result, "audio")).isEqualTo(codecs.get(0));
					assertThat(stream(result, "video")).isNull();
				}
				default -> {
					assertThat(codec(result, "video")).isEqualTo(codecs.get(0));
					assertThat(stream(result, "video").get("width").asInt()).isEqualTo(64);
					assertThat(stream(result, "audio")).isNull();
				}
			}
		}

		@Test
		void lowQualityShrinksATallVideoTo480LinesInMp4() throws Exception {
			JsonNode result = convert(inputs.tallMp4(), Format.MP4, Quality.LOW);
			assertThat(codec(result, "video")).isEqualTo("h264");
			assertThat(codec(result, "audio")).isEqualTo("aac");
			assertThat(stream(result, "video").get("height").asInt()).isEqualTo(480);
			assertThat(stream(result, "video").get("width").asInt()).isEqualTo(64);
		}

		@Test
		void extractsTheSoundOfAVideoAtALowBitrate() throws Exception {
			JsonNode result = convert(inputs.mp4(), Format.MP3, Quality.LOW);
			assertThat(result.get("streams")).hasSize(1);
			assertThat(codec(result, "audio")).isEqualTo("mp3");
			assertThat(stream(result, "audio").get("bit_rate").asInt()).isEqualTo(64000);
		}

		@Test
		void lowQualityHalvesAPicture() throws Exception {
			JsonNode result = convert(inputs.png(), Format.JPG, Quality.LOW);
			assertThat(codec(result, "video")).isEqualTo("mjpeg");
			assertThat(stream(result, "video").get("width").asInt()).isEqualTo(32);
			assertThat(stream(result, "video").get("height").asInt()).isEqualTo(24);
		}

		@Test
		void lowQualityWavIsMonoAt22kHzWithoutTheInputsMetadata() throws Exception {
			assertThat(latin1(inputs.wav())).as("the input is tagged").contains(MediaFixtures.ARTIST);

			JsonNode result = convert(inputs.wav(), Format.WAV, Quality.LOW);

			assertThat(codec(result, "audio")).isEqualTo("pcm_s16le");
			assertThat(stream(result, "audio").get("channels").asInt()).isEqualTo(1);
			assertThat(stream(result, "audio").get("sample_rate").asText()).isEqualTo("22050");
			assertThat(latin1(dir.resolve("out-wav-low.wav"))).doesNotContain(MediaFixtures.ARTIST);
		}

	}

}
