package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.cct.format.Format;
import com.cct.format.MediaKind;

/** Apache Tika on real bytes: media made by ffmpeg at test time, archives and text made here. */
class ContentInspectorTests {

	private static final String TONE = "sine=frequency=440:duration=0.5";

	private static final String PICTURE = "testsrc=duration=0.5:size=64x64:rate=10";

	/** How each media file is made: ffmpeg's input and codec arguments, by output name. */
	private static final Map<String, List<String>> MEDIA = Map.ofEntries(
			Map.entry("clip.ts", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264", "-f", "mpegts")),
			Map.entry("clip.m2ts", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264", "-f", "mpegts",
					"-mpegts_m2ts_mode", "1")),
			Map.entry("clip.flv", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264")),
			Map.entry("clip.3gp", List.of("-f", "lavfi", "-i", "testsrc=duration=0.5:size=176x144:rate=10", "-c:v",
					"libx264")),
			Map.entry("tone.aiff", List.of("-f", "lavfi", "-i", TONE)),
			Map.entry("tone.ac3", List.of("-f", "lavfi", "-i", TONE, "-c:a", "ac3")),
			Map.entry("still.avif", List.of("-f", "lavfi", "-i", PICTURE, "-frames:v", "1", "-c:v", "libaom-av1",
					"-still-picture", "1", "-cpu-used", "8")),
			Map.entry("tone.wav", List.of("-f", "lavfi", "-i", TONE)),
			Map.entry("tone.mp3", List.of("-f", "lavfi", "-i", TONE, "-c:a", "libmp3lame")),
			Map.entry("tone.ogg", List.of("-f", "lavfi", "-i", TONE, "-c:a", "libvorbis")),
			Map.entry("tone.m4a", List.of("-f", "lavfi", "-i", TONE, "-c:a", "aac")),
			Map.entry("clip.mp4", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264", "-pix_fmt", "yuv420p")),
			Map.entry("clip-mp42.mp4", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-brand",
					"mp42")),
			Map.entry("clip.webm", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libvpx", "-deadline", "realtime")),
			Map.entry("clip.mkv", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264", "-pix_fmt", "yuv420p")),
			Map.entry("frame.png", List.of("-f", "lavfi", "-i", PICTURE, "-frames:v", "1")),
			Map.entry("clip.ogv", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libtheora")),
			Map.entry("tone.opus", List.of("-f", "lavfi", "-i", TONE, "-c:a", "libopus")),
			Map.entry("tone.oga", List.of("-f", "lavfi", "-i", TONE, "-c:a", "flac", "-f", "ogg")),
			Map.entry("tone.flac", List.of("-f", "lavfi", "-i", TONE)),
			Map.entry("tone.eac3", List.of("-f", "lavfi", "-i", TONE, "-c:a", "eac3")),
			Map.entry("tone.au", List.of("-f", "lavfi", "-i", TONE)),
			Map.entry("tone.m4b", List.of("-f", "lavfi", "-i", TONE, "-c:a", "aac", "-f", "ipod")),
			Map.entry("tone.wma", List.of("-f", "lavfi", "-i", TONE)),
			Map.entry("clip.m4v", List.of("-f", "lavfi", "-i", PICTURE, "-c:v", "libx264", "-f", "mp4")),
			Map.entry("clip.avi", List.of("-f", "lavfi", "-i", PICTURE)),
			Map.entry("frame.bmp", List.of("-f", "lavfi", "-i", PICTURE, "-frames:v", "1")),
			Map.entry("frame.tiff", List.of("-f", "lavfi", "-i", PICTURE, "-frames:v", "1")),
			Map.entry("frame.webp", List.of("-f", "lavfi", "-i", PICTURE, "-frames:v", "1")),
			Map.entry("frame.jpg", List.of("-f", "lavfi", "-i", PICTURE, "-frames:v", "1")));

	@TempDir
	static Path folder;

	private final ContentInspector inspector = new ContentInspector();

	@ParameterizedTest
	@CsvSource({ "tone.wav, wav", "tone.mp3, mp3", "tone.ogg, ogg", "tone.m4a, m4a", "clip-mp42.mp4, mp4",
			"frame.png, png", "clip.ts, ts", "clip.m2ts, ts", "clip.flv, flv", "clip.3gp, 3gp", "tone.aiff, aiff",
			"tone.ac3, ac3", "still.avif, avif" })
	void mediaIsKnownByItsBytes(String file, String format) throws Exception {
		assertThat(inspectMedia(file).format()).contains(Format.fromId(format).orElseThrow());
	}

	/** ffmpeg's mp4 carries the generic "isom" brand, which Tika reports as QuickTime: still video. */
	@Test
	void anMp4OfTheGenericBrandIsVideoOfTheSameDemuxer() throws Exception {
		ContentInspector.Detected detected = inspectMedia("clip.mp4");

		assertThat(detected.format()).get().extracting(Format::kind).isEqualTo(MediaKind.VIDEO);
		assertThat(detected.format().orElseThrow().demuxers()).isEqualTo(Format.MP4.demuxers());
	}

	/** Tika reports sub-types and aliases of our types (video/theora, audio/eac3, ...): each has its format. */
	@ParameterizedTest
	@CsvSource({ "tone.opus, audio", "tone.oga, audio", "tone.flac, audio", "tone.eac3, audio",
			"tone.au, audio", "tone.m4b, audio", "tone.wma, audio", "clip.m4v, video", "clip.avi, video",
			"frame.bmp, image", "frame.tiff, image", "frame.webp, image", "frame.jpg, image" })
	void everyVariantTikaReportsHasAFormatOfItsKind(String file, String kind) throws Exception {
		ContentInspector.Detected detected = inspectMedia(file);

		assertThat(detected.format()).as(detected.mimeType()).get().extracting(format -> format.kind().name())
			.isEqualTo(kind.toUpperCase(java.util.Locale.ROOT));
	}

	/** Tika tells no Theora from Vorbis (application/ogg for both): an Ogg of the Ogg demuxer all the same. */
	@Test
	void anOgvIsAnOggOfTheSameDemuxer() throws Exception {
		ContentInspector.Detected detected = inspectMedia("clip.ogv");

		assertThat(detected.format().orElseThrow().demuxers()).isEqualTo(Format.OGV.demuxers());
	}

	@Test
	void theFirstBytesAloneAreEnough() throws Exception {
		ffmpeg("head.mp3", MEDIA.get("tone.mp3"));
		byte[] head = Arrays.copyOf(Files.readAllBytes(folder.resolve("head.mp3")), 4096);

		assertThat(this.inspector.inspect(head, "anything").format()).contains(Format.MP3);
	}

	/** The bytes past the first 64 KB are not looked at: text there does not make the head text. */
	@Test
	void looksAtNoMoreThanTheFirst64KB() {
		byte[] bytes = new byte[200_000];
		Arrays.fill(bytes, (byte) 0x01);
		ContentInspector.Detected detected = this.inspector.inspect(bytes, "blob.bin");

		assertThat(detected.mimeType()).isEqualTo("application/octet-stream");
		assertThat(detected.format()).isEmpty();
	}

	@Test
	void anOctetStreamNamedAsMediaIsLeftToTheWorkersProbe() {
		byte[] unknown = { 0x00, 0x13, 0x37, 0x00, 0x01, 0x02, 0x7f, 0x00, 0x00, 0x00, 0x05 };

		ContentInspector.Detected named = this.inspector.inspect(unknown, "Recording 12.m4a");

		assertThat(named.format()).contains(Format.M4A);
		assertThat(named.byName()).isTrue();
		assertThat(this.inspector.inspect(unknown, "holiday.zip").format()).as("archives are never taken by name")
			.isEmpty();
		assertThat(this.inspector.inspect(unknown, "no-extension").format()).isEmpty();
		assertThat(this.inspector.inspect("plain words\n".getBytes(StandardCharsets.UTF_8), "words.mp3").format())
			.as("text is not octet-stream")
			.isEmpty();
	}

	@Test
	void onlyTheMappedTypesAreMatched() {
		// a PDF: Tika knows it, but it is none of ours, so the cut-down type list does not even look for it
		ContentInspector.Detected pdf = this.inspector.inspect("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1),
				"paper.pdf");

		assertThat(pdf.format()).isEmpty();
		assertThat(pdf.mimeType()).doesNotContain("pdf");
	}

	@Test
	void aWebmIsVideo() throws Exception {
		assertThat(inspectMedia("clip.webm").format()).get().extracting(Format::kind).isEqualTo(MediaKind.VIDEO);
	}

	@Test
	void anMkvIsVideo() throws Exception {
		assertThat(inspectMedia("clip.mkv").format()).get().extracting(Format::kind).isEqualTo(MediaKind.VIDEO);
	}

	@Test
	void aZipIsZip() throws IOException {
		Path zip = folder.resolve("files.zip");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			out.putNextEntry(new ZipEntry("notes.txt"));
			out.write("hello".getBytes(StandardCharsets.UTF_8));
			out.closeEntry();
		}

		assertThat(inspect("files.zip").format()).contains(Format.ZIP);
	}

	@Test
	void aGzipIsTheTarGzArchiveKind() throws IOException {
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(folder.resolve("notes.gz")))) {
			out.write("hello, compressed".getBytes(StandardCharsets.UTF_8));
		}

		assertThat(inspect("notes.gz").format()).contains(Format.TAR_GZ);
	}

	@Test
	void plainTextIsNoFormat() throws IOException {
		ContentInspector.Detected detected = detect("just some words, nothing more\n".getBytes(StandardCharsets.UTF_8));

		assertThat(detected.mimeType()).startsWith("text/plain");
		assertThat(detected.format()).isEmpty();
	}

	@Test
	void anHlsPlaylistIsNotMedia() throws IOException {
		String playlist = """
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-TARGETDURATION:10
				#EXTINF:10.0,
				http://example.invalid/segment0.ts
				#EXT-X-ENDLIST
				""";

		ContentInspector.Detected detected = detect(playlist.getBytes(StandardCharsets.UTF_8));

		assertThat(detected.format()).isEmpty();
	}

	@Test
	void noBytesIsAnOctetStreamOfNoFormat() throws IOException {
		ContentInspector.Detected detected = detect(new byte[0]);

		assertThat(detected.mimeType()).isEqualTo("application/octet-stream");
		assertThat(detected.format()).isEmpty();
	}

	private ContentInspector.Detected inspect(String name) throws IOException {
		try (InputStream in = Files.newInputStream(folder.resolve(name))) {
			return this.inspector.inspect(in);
		}
	}

	private ContentInspector.Detected inspectMedia(String name) throws Exception {
		ffmpeg(name, MEDIA.get(name));
		return inspect(name);
	}

	private ContentInspector.Detected detect(byte[] bytes) throws IOException {
		return this.inspector.inspect(new ByteArrayInputStream(bytes));
	}

	private static void ffmpeg(String output, List<String> input) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
		command.addAll(input);
		command.add(folder.resolve(output).toString());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(folder.resolve(output + ".log").toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg made %s in time", output).isTrue();
		assertThat(process.exitValue()).as("ffmpeg exit for %s: %s", output,
				Files.readString(folder.resolve(output + ".log"))).isZero();
	}

}
