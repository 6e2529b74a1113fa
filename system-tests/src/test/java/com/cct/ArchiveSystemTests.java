package com.cct;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Compression through the running service: archives read back with the system's own tools (not the
 * library that wrote them), repacks that keep every entry, hostile archives that fail cleanly, and
 * media that gets smaller.
 */
class ArchiveSystemTests extends OnSharedStack {

	@ParameterizedTest
	@ValueSource(strings = { "zip", "7z", "tar.gz", "tar.bz2", "tar.xz" })
	void packsAnyFileIntoEachArchiveKind(String kind) throws Exception {
		Api.User user = api.newUser();
		Path input = Media.write(files.resolve("report " + kind + ".pdf"), randomBytes(300_000));
		JsonNode done = convert(user, input, kind);
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		Path archive = download(user, done, "packed." + kind);
		Path out = Files.createDirectories(files.resolve("unpacked-" + kind.replace('.', '-')));
		unpackWithSystemTools(archive, kind, out);
		assertThat(Files.readAllBytes(out.resolve("report " + kind + ".pdf"))).isEqualTo(Files.readAllBytes(input));
	}

	@Test
	void repacksZipIntoTarGzKeepingEveryEntry() throws Exception {
		Path tree = sampleTree("zip-source");
		Path zip = files.resolve("bundle.zip");
		run(tree, "7z", "a", "-tzip", "-bd", zip.toString(), ".");
		assertRepackKeepsEntries(zip, "tar.gz", tree);
	}

	@Test
	void repacks7zIntoZipKeepingEveryEntry() throws Exception {
		Path tree = sampleTree("7z-source");
		Path sevenZ = files.resolve("bundle.7z");
		run(tree, "7z", "a", "-t7z", "-bd", sevenZ.toString(), ".");
		assertRepackKeepsEntries(sevenZ, "zip", tree);
	}

	@Test
	void failsAZipSlipArchiveWithoutWritingOutsideTheTask() throws Exception {
		Path zip = files.resolve("slip.zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			add(out, "fine.txt", "fine");
			add(out, "../../../../escaped.txt", "gotcha");
		}
		assertFailsCleanly(zip, "tar.gz");
	}

	@Test
	void failsAnArchiveHoldingASymlink() throws Exception {
		Path tar = files.resolve("link.tar.gz");
		try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tar)))) {
			TarArchiveEntry link = new TarArchiveEntry("passwd", TarArchiveEntry.LF_SYMLINK);
			link.setLinkName("/etc/passwd");
			out.putArchiveEntry(link);
			out.closeArchiveEntry();
		}
		assertFailsCleanly(tar, "zip");
	}

	@Test
	void failsASmallZipBomb() throws Exception {
		Path zip = files.resolve("bomb.zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			out.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
			byte[] zeros = new byte[1 << 20];
			for (int i = 0; i < 200; i++) {
				out.write(zeros);
			}
			out.closeArchiveEntry();
		}
		assertThat(Files.size(zip)).isLessThan(1_000_000);
		assertFailsCleanly(zip, "7z");
	}

	@Test
	void compressesMediaWithLowQualityIntoASmallerValidFile() throws Exception {
		Api.User user = api.newUser();
		Path video = Media.ffmpeg(files.resolve("movie.mp4"), "-f", "lavfi", "-i",
				"testsrc2=size=1280x720:rate=25:duration=4", "-f", "lavfi", "-i", "sine=duration=4", "-shortest",
				"-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p");
		Api.Response created = api.upload(user.token(), "fileName", video, "movie.mp4",
				Api.fields("newFormat", "mp4", "quality", "low"), Map.of());
		JsonNode done = Tasks.awaitEnd(api, user.token(), created.json().get("id").asText(), Duration.ofSeconds(90));
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		assertThat(done.get("quality").asText()).isEqualTo("low");
		assertThat(done.get("processedSizeBytes").asLong()).isLessThan(done.get("sizeBytes").asLong());
		Path result = download(user, done, "small.mp4");
		JsonNode probe = Media.probe(result);
		assertThat(probe.get("streams")).anySatisfy(stream -> {
			assertThat(stream.get("codec_name").asText()).isEqualTo("h264");
			assertThat(stream.get("height").asInt()).isLessThanOrEqualTo(480);
		});
		assertThat(probe.get("format").get("duration").asDouble()).isBetween(3.5, 4.5);
	}

	private void assertRepackKeepsEntries(Path archive, String target, Path tree) throws Exception {
		Api.User user = api.newUser();
		JsonNode done = convert(user, archive, target);
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		assertThat(done.get("originalFormat").asText()).isEqualTo(archive.getFileName().toString().replaceFirst("^bundle\\.", ""));
		Path result = download(user, done, "repacked." + target);
		Path out = Files.createDirectories(files.resolve("out-" + System.nanoTime()));
		unpackWithSystemTools(result, target, out);
		assertThat(digests(out)).isEqualTo(digests(tree));
	}

	private void assertFailsCleanly(Path archive, String target) throws Exception {
		Api.User user = api.newUser();
		JsonNode done = convert(user, archive, target);
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("failed");
		assertThat(done.get("error").asText()).isNotBlank().doesNotContain(stack.storage.toString());
		try (Stream<Path> all = Files.walk(stack.storage)) {
			assertThat(all.map(p -> p.getFileName().toString()))
				.doesNotContain("escaped.txt", "passwd", "zeros.bin");
		}
		Path folder = stack.taskFolder(done.get("id").asText());
		try (Stream<Path> left = Files.list(folder)) {
			assertThat(left.map(p -> p.getFileName().toString())).containsExactly(done.get("originalFile").asText());
		}
		assertThat(stack.worker().isHealthy()).isTrue();
	}

	private JsonNode convert(Api.User user, Path input, String target) {
		Api.Response created = api.upload(user.token(), input, target);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return Tasks.awaitEnd(api, user.token(), created.json().get("id").asText(), Duration.ofSeconds(90));
	}

	private Path download(Api.User user, JsonNode task, String name) {
		Api.Response response = api.get(task.get("links").get("processed").asText(), user.token());
		assertThat(response.status()).isEqualTo(200);
		return Media.write(files.resolve(System.nanoTime() + "-" + name), response.bytes());
	}

	private static void unpackWithSystemTools(Path archive, String kind, Path into) throws Exception {
		switch (kind) {
			case "zip" -> run(into, "unzip", "-q", archive.toString(), "-d", into.toString());
			case "7z" -> run(into, "7z", "x", "-bd", "-y", "-o" + into, archive.toString());
			default -> run(into, "tar", "-xf", archive.toString(), "-C", into.toString());
		}
	}

	private Path sampleTree(String name) throws IOException {
		Path root = Files.createDirectories(files.resolve(name));
		Files.writeString(root.resolve("readme.txt"), "hello archives\n");
		Files.createDirectories(root.resolve("docs/deeper"));
		Files.write(root.resolve("docs/data.bin"), randomBytes(120_000));
		Files.writeString(root.resolve("docs/deeper/notes é.txt"), "nested ✓\n");
		return root;
	}

	private static Map<String, String> digests(Path root) throws Exception {
		Map<String, String> result = new TreeMap<>();
		try (Stream<Path> all = Files.walk(root)) {
			for (Path file : all.filter(Files::isRegularFile).toList()) {
				MessageDigest sha = MessageDigest.getInstance("SHA-256");
				result.put(root.relativize(file).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
			}
		}
		return result;
	}

	private static void add(ZipArchiveOutputStream out, String name, String content) throws IOException {
		out.putArchiveEntry(new ZipArchiveEntry(name));
		out.write(content.getBytes(StandardCharsets.UTF_8));
		out.closeArchiveEntry();
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new java.util.Random(size).nextBytes(bytes);
		return bytes;
	}

	private static void run(Path dir, String... command) throws Exception {
		Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] out = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command) + ": " + new String(out)).isZero();
	}

}
