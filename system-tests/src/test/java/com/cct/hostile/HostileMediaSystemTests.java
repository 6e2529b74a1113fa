package com.cct.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Files made to trick a converter: playlists and concat lists that point at local files, broken or
 * empty media, a picture header promising ten billion pixels, and names that try to climb out of
 * their folder. Each is refused with a 4xx or ends {@code failed} with a reason; no local file's
 * content shows up anywhere; nothing lands outside a task folder; the worker carries on.
 */
class HostileMediaSystemTests extends OnSharedStack {

	/** The first line of /etc/passwd on any Linux: if it shows up in an output, a file leaked. */
	private static final String PASSWD = "root:x:0:0";

	private static final Pattern STORED = Pattern.compile("[0-9a-f-]{36}/[0-9a-f-]{36}/[^/]+");

	static Api.User user;

	@BeforeAll
	static void prepare() {
		user = api.newUser();
	}

	static Stream<Arguments> hostileMedia() throws IOException {
		byte[] mp4 = Files.readAllBytes(Media.video(files, "whole.mp4", 2));
		String hls = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile:///etc/passwd\n"
				+ "#EXTINF:10.0,\n/etc/passwd\n#EXT-X-ENDLIST\n";
		String concat = "ffconcat version 1.0\nfile /etc/passwd\nfile 'file:/etc/passwd'\n";
		// title, file name, content, target, outcome: a 4xx status, or "failed" and a word of the reason
		return Stream.of(
				Arguments.of("hls playlist named .mp4", "playlist.mp4", bytes(hls), "webm", "415"),
				Arguments.of("hls playlist named .m3u8", "playlist.m3u8", bytes(hls), "mp4", "415"),
				Arguments.of("hls playlist behind an mp4 ftyp box", "boxed.mp4", concat(ftyp(), bytes(hls)), "webm", "failed damaged"),
				Arguments.of("hls playlist behind an ftyp box, as .m4a", "boxed.m4a", concat(ftyp(), bytes(hls)), "mp3", "failed damaged"),
				Arguments.of("ffconcat list named .mp4", "list.mp4", bytes(concat), "webm", "415"),
				Arguments.of("ffconcat list behind an mp4 ftyp box", "list-boxed.mp4", concat(ftyp(), bytes(concat)), "mp3", "failed damaged"),
				Arguments.of("ffconcat list with no extension", "list", bytes(concat), "mp3", "415"),
				Arguments.of("truncated mp4", "truncated.mp4", Arrays.copyOf(mp4, mp4.length / 3), "webm", "failed damaged"),
				Arguments.of("first 64 bytes of an mp4", "header.mp4", Arrays.copyOf(mp4, 64), "mp3", "failed damaged"),
				Arguments.of("zero bytes", "empty.mp4", new byte[0], "webm", "400"),
				Arguments.of("png claiming 100000x100000", "huge.png", png(100_000, 100_000), "jpg", "failed no picture"),
				Arguments.of("png claiming 100000x100000 named .jpg", "huge.jpg", png(100_000, 100_000), "webp", "failed no picture"),
				Arguments.of("png claiming 20000x1", "wide.png", png(20_000, 1), "jpg", "failed too large"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileMedia")
	void refusesOrFailsWithAReasonAndLeaksNothing(String title, String name, byte[] content, String target,
			String outcome) {
		Api.Response created = uploadNamed(name, content, target);
		assertThat(created.text()).doesNotContain(PASSWD).doesNotContain("/etc/").doesNotContain("Exception");
		if (!outcome.startsWith("failed")) {
			assertThat(created.status()).as(created.text()).isEqualTo(Integer.parseInt(outcome));
			assertThat(created.header("Content-Type")).startsWith("application/problem+json");
			assertThat(created.json().get("detail").asText()).isNotBlank();
			return;
		}
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String id = created.json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(90));
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("failed");
		assertThat(done.get("error").asText()).as(done.toString())
			.contains(outcome.substring("failed ".length()))
			.doesNotContain(PASSWD)
			.doesNotContain("/")
			.doesNotContainIgnoringCase("exception");
		assertThat(api.get("/api/files/" + done.get("processedFile").asText(), user.token()).status()).isEqualTo(404);
		assertThat(api.get("/api/tasks/" + id + "/events", user.token()).text()).doesNotContain(PASSWD);
	}

	static Stream<Arguments> oddNames() {
		return Stream.of(
				Arguments.of("../../x.wav", "x.wav"),
				Arguments.of("..\\..\\x.wav", "x.wav"),
				Arguments.of("/etc/cron.d/x.wav", "x.wav"),
				Arguments.of("a".repeat(300) + ".wav", "a".repeat(196) + ".wav"),
				Arguments.of("müsic ñandú 🎵 音楽.wav", "müsic ñandú 🎵 音楽.wav"),
				Arguments.of("mu\u0308sic.wav", "müsic.wav"),
				Arguments.of("bell\u0007tab\tesc\u001b[31mdel\u007f.wav", "belltabesc[31mdel.wav"),
				Arguments.of("right\u202eto\u200bleft.wav", "righttoleft.wav"),
				Arguments.of("it's \\\"quoted\\\".wav", "it's \"quoted\".wav"),
				Arguments.of("x%00.wav", "x%00.wav"),
				Arguments.of("....wav", "wav"),
				Arguments.of("..", "file"),
				Arguments.of("$(touch pwned).wav", "$(touch pwned).wav"),
				Arguments.of("-i file:/etc/passwd.wav", "passwd.wav"),
				Arguments.of("-y.wav", "-y.wav"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("oddNames")
	void keepsOddFileNamesAsDisplayTextOnly(String sent, String expected) throws IOException {
		Path wav = Media.audio(files, "tone-" + UUID.randomUUID() + ".wav", 1);
		Api.Response created = uploadNamed(sent, Files.readAllBytes(wav), "mp3");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String stored = created.json().get("fileName").asText();
		assertThat(stored).doesNotContain("/", "\\", "\u0000")
			.doesNotStartWith(".")
			.hasSizeLessThanOrEqualTo(200)
			.matches(name -> name.codePoints().noneMatch(Character::isISOControl), "has no control characters");
		assertThat(stored).isEqualTo(expected);
		JsonNode done = Tasks.awaitEnd(api, user.token(), created.json().get("id").asText(), Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		assertThat(done.get("originalFile").asText()).matches("[A-Za-z0-9._-]+");
		Api.Response download = api.get("/api/files/" + done.get("processedFile").asText(), user.token());
		assertThat(download.status()).isEqualTo(200);
		assertThat(download.header("Content-Disposition")).startsWith("attachment;").doesNotContain("\r", "\n", "/");
		assertOnlyTaskFoldersInStorage();
	}

	/**
	 * Names Tomcat refuses while parsing the request: a part header over its 512-byte limit (a
	 * 1000-character name) and a NUL byte. Either way a 4xx problem, never a 500.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("namesTomcatRefuses")
	void refusesNamesTheServerCannotParseWithA4xx(String title, String sent) throws IOException {
		Path wav = Media.audio(files, "tone-" + UUID.randomUUID() + ".wav", 1);
		Api.Response created = uploadNamed(sent, Files.readAllBytes(wav), "mp3");
		if (created.status() == 201) {
			assertThat(created.json().get("fileName").asText()).hasSizeLessThanOrEqualTo(200).doesNotContain("\u0000");
		}
		else {
			assertThat(created.status()).as(created.text()).isBetween(400, 499);
			assertThat(created.header("Content-Type")).startsWith("application/problem+json");
		}
		assertOnlyTaskFoldersInStorage();
	}

	static Stream<Arguments> namesTomcatRefuses() {
		return Stream.of(Arguments.of("1000 characters", "a".repeat(1000) + ".wav"),
				Arguments.of("NUL byte", "x\u0000.wav.exe"), Arguments.of("NUL byte alone", "\u0000"));
	}

	@Test
	void keepsTheWorkerHealthyAfterAllThat() {
		assertThat(stack.worker().isAlive()).isTrue();
		assertThat(stack.worker().isHealthy()).isTrue();
		assertThat(stack.web().isHealthy()).isTrue();
		Path wav = Media.audio(files, "after.wav", 1);
		String id = api.upload(user.token(), wav, "ogg").json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60)).get("status").asText())
			.isEqualTo("processed");
	}

	@AfterAll
	static void noProcessEverPrintedALocalFile() throws IOException {
		for (String process : List.of("web", "worker")) {
			Path log = Path.of("target", "logs", stack.database + "-" + process + ".log");
			if (Files.exists(log)) {
				assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.toString()).doesNotContain(PASSWD);
			}
		}
		assertOnlyTaskFoldersInStorage();
	}

	/** Every stored file sits in a {user}/{task}/ folder (or Tomcat's spool); none climbed out. */
	static void assertOnlyTaskFoldersInStorage() throws IOException {
		Path root = stack.storage;
		try (Stream<Path> tree = Files.walk(root)) {
			tree.filter(Files::isRegularFile)
				.map(path -> root.relativize(path).toString())
				.filter(path -> !path.startsWith(".incoming/"))
				.forEach(path -> assertThat(path).as("stored outside a task folder").matches(STORED));
		}
		for (Path escaped : List.of(root.resolve("x.wav"), root.resolveSibling("x.wav"),
				root.getParent().resolveSibling("x.wav"), Path.of("/etc/cron.d/x.wav"), root.resolve("pwned"),
				Path.of("pwned"))) {
			assertThat(escaped).doesNotExist();
		}
	}

	// --- requests with names and bytes exactly as an attacker would send them

	static Api.Response uploadNamed(String fileName, byte[] content, String newFormat) {
		String boundary = "----hostile" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\n" + newFormat
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks"))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + user.token())
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build());
	}

	// --- crafted content

	/** An ISO base media {@code ftyp} box: enough for a magic-byte sniffer to say "video/mp4". */
	static byte[] ftyp() {
		ByteBuffer box = ByteBuffer.allocate(24);
		box.putInt(24).put(bytes("ftyp")).put(bytes("isom")).putInt(0x200).put(bytes("isom")).put(bytes("mp41"));
		return box.array();
	}

	/** A valid PNG whose header claims the given size, with one tiny compressed row of data. */
	static byte[] png(int width, int height) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		ByteBuffer ihdr = ByteBuffer.allocate(13);
		ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
		chunk(out, "IHDR", ihdr.array());
		Deflater deflater = new Deflater();
		deflater.setInput(new byte[64]);
		deflater.finish();
		byte[] compressed = new byte[128];
		int length = deflater.deflate(compressed);
		deflater.end();
		chunk(out, "IDAT", Arrays.copyOf(compressed, length));
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		CRC32 crc = new CRC32();
		crc.update(bytes(type));
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(bytes(type));
		out.writeBytes(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
