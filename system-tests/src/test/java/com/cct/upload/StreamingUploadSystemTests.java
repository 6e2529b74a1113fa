package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.OnSharedStack;
import com.cct.support.RawHttp;
import com.cct.support.RawHttp.Exchange;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /api/tasks} read as it arrives by the web's own multipart reader, and as a raw body:
 * bytes split anywhere, boundary look-alikes inside a file, bodies that end early, files refused
 * after their first bytes while the client is still sending, limits, and slow bodies. Over real
 * sockets where the test must control every byte; each check also looks at what was stored.
 */
class StreamingUploadSystemTests extends OnSharedStack {

	private static final String BOUNDARY = "----cctstream5Kq2";

	/** The shared stack's CCT_MAX_UPLOAD_SIZE is 64 MB. */
	private static final long BIG = 50L << 20;

	private static Api.User user;

	private static String userId;

	private static byte[] mp3;

	@BeforeAll
	static void prepare() throws IOException {
		user = api.newUser();
		userId = api.get("/api/account", user.token()).json().get("id").asText();
		mp3 = Files.readAllBytes(Media.audio(files, "song.mp3", 2));
	}

	// --- multipart

	@Test
	void aMultipartBodyArrivingInPiecesSplitInsideTheDelimiterIsStoredExactly() throws Exception {
		byte[] body = multipart("zip", "pieces.bin", mp3);
		int delimiter = indexOf(body, ("\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.US_ASCII));
		try (Socket socket = socket()) {
			OutputStream out = socket.getOutputStream();
			out.write(head("/api/tasks", "multipart/form-data; boundary=" + BOUNDARY, body.length));
			out.write(body, 0, delimiter - 100);
			out.flush();
			// the closing delimiter byte by byte: reads that end inside it, at every offset
			for (int i = delimiter - 100; i < body.length; i++) {
				out.write(body[i]);
				out.flush();
			}
			Exchange exchange = readResponse(socket.getInputStream());

			assertThat(exchange.status()).as(exchange.text()).isEqualTo(201);
			assertThat(original(exchange.json())).isEqualTo(mp3);
		}
	}

	@Test
	void boundaryLookAlikesInsideTheFileAreKept() {
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		file.writeBytes(mp3);
		for (String lookAlike : new String[] { "--" + BOUNDARY + "\r\n", "\r\n--" + BOUNDARY.substring(0, 10),
				"\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X", "\r\r\n--" + BOUNDARY.substring(1) }) {
			file.writeBytes(lookAlike.getBytes(StandardCharsets.US_ASCII));
			file.writeBytes(Arrays.copyOf(mp3, 5000));
		}

		Api.Response created = api.send(multipartRequest(multipart("zip", "lookalikes.bin", file.toByteArray())));

		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(original(created.json())).isEqualTo(file.toByteArray());
	}

	@Test
	void aBodyWithoutItsClosingDelimiterIsUnreadableAndStoresNothing() throws IOException {
		byte[] body = multipart("ogg", "cut.mp3", mp3);
		byte[] truncated = Arrays.copyOf(body, body.length - 12);

		Api.Response refused = api.send(multipartRequest(truncated));

		assertProblem(refused, 400, "unreadable-upload");
		assertNothingStored();
	}

	@Test
	void aFileWhoseFirstBytesMismatchIsRefusedBeforeItsBodyIsSent() throws Exception {
		byte[] text = "plain text, not an mp3 at all\n".repeat(3000).getBytes(StandardCharsets.US_ASCII);
		byte[] partHead = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nogg\r\n--"
				+ BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"fake.mp3\"\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);

		Exchange exchange = streamWhileAnswered(head("/api/tasks", "multipart/form-data; boundary=" + BOUNDARY,
				partHead.length + BIG + 100), partHead, text, BIG);

		assertProblem(exchange, 415, "content-mismatch");
		assertThat(exchange.bytesSent()).as("bytes sent before the 415").isLessThan(BIG / 4);
		assertNothingStored();
	}

	@Test
	void partHeadersOverTheLimitAreUnreadable() throws IOException {
		String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nzip\r\n--" + BOUNDARY
				+ "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"long.bin\"\r\nX-Padding: "
				+ "p".repeat(9000) + "\r\n\r\nabc\r\n--" + BOUNDARY + "--\r\n";

		Api.Response refused = api.send(multipartRequest(body.getBytes(StandardCharsets.US_ASCII)));

		assertProblem(refused, 400, "unreadable-upload");
		assertNothingStored();
	}

	// --- raw bodies

	@Test
	void aRawBodyWithContentLengthBecomesATask() {
		Api.Response created = api.send(rawRequest("newFormat=ogg&fileName=raw%20song.mp3&quality=low&notify=false",
				HttpRequest.BodyPublishers.ofByteArray(mp3)));

		assertThat(created.status()).as(created.text()).isEqualTo(201);
		JsonNode task = created.json();
		assertThat(task.get("fileName").asText()).isEqualTo("raw song.mp3");
		assertThat(task.get("newFormat").asText()).isEqualTo("ogg");
		assertThat(task.get("quality").asText()).isEqualTo("low");
		assertThat(task.get("sizeBytes").asLong()).isEqualTo(mp3.length);
		assertThat(original(task)).isEqualTo(mp3);
	}

	@Test
	void aChunkedRawBodyBecomesATask() {
		// an InputStream publisher has no length: the JDK client sends it chunked
		Api.Response created = api.send(rawRequest("newFormat=wav&fileName=chunked.mp3",
				HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(mp3))));

		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(original(created.json())).isEqualTo(mp3);
	}

	@Test
	void aRawBodyWhoseContentMismatchesIsRefusedAndStoresNothing() throws IOException {
		Api.Response refused = api.send(rawRequest("newFormat=ogg&fileName=fake.mp3",
				HttpRequest.BodyPublishers.ofString("not audio at all")));

		assertProblem(refused, 415, "content-mismatch");
		assertNothingStored();
	}

	@Test
	void aRawBodyWithoutNewFormatIsMissingFormat() throws IOException {
		Api.Response refused = api.send(rawRequest("fileName=song.mp3", HttpRequest.BodyPublishers.ofByteArray(mp3)));

		assertProblem(refused, 400, "missing-format");
		assertNothingStored();
	}

	@Test
	void aRawBodyDeclaredOverTheLimitIsRefusedAtOnce() throws Exception {
		Exchange exchange = streamWhileAnswered(head("/api/tasks?newFormat=zip&fileName=big.bin",
				"application/octet-stream", 70L << 20), new byte[0], new byte[64 * 1024], 70L << 20);

		assertProblem(exchange, 413, "too-large");
		assertThat(exchange.bytesSent()).isLessThan(35L << 20);
		assertNothingStored();
	}

	@Test
	void aChunkedRawBodyIsRefusedOnceItPassesTheLimitAndLeavesNothing() throws Exception {
		Exchange exchange = streamWhileAnswered(chunkedHead("/api/tasks?newFormat=zip&fileName=big.bin"),
				new byte[0], new byte[64 * 1024], 70L << 20, true);

		assertProblem(exchange, 413, "too-large");
		assertNothingStored();
	}

	@Test
	void aRawBodyThatTricklesIsCutByTheUploadGuard() throws Exception {
		ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
		try (Socket socket = socket()) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(head("/api/tasks?newFormat=zip&fileName=slow.bin", "application/octet-stream", 1 << 20));
			out.write(mp3, 0, 1000);
			out.flush();
			// one byte every 500 ms: far under the 1 KB/s minimum rate of the shared stack
			trickler.scheduleAtFixedRate(() -> {
				try {
					out.write('x');
					out.flush();
				}
				catch (IOException ex) {
					// cut: what we wait for
				}
			}, 500, 500, TimeUnit.MILLISECONDS);
			Exchange exchange = readResponse(socket.getInputStream());

			assertProblem(exchange, 408, "upload-too-slow");
		}
		finally {
			trickler.shutdownNow();
		}
		assertNothingStored();
	}

	// --- checks

	private static byte[] original(JsonNode task) {
		Api.Response download = api.get("/api/files/" + task.get("originalFile").asText(), user.token());
		assertThat(download.status()).isEqualTo(200);
		return download.bytes();
	}

	/** No task folder holds a file other than a finished task's (every refused upload left nothing). */
	private static void assertNothingStored() throws IOException {
		Path folder = stack.storage.resolve(userId);
		if (!Files.isDirectory(folder)) {
			return;
		}
		JsonNode tasks = api.get("/api/tasks?max=1000", user.token()).json();
		try (Stream<Path> paths = Files.walk(folder)) {
			paths.filter(Files::isRegularFile).forEach(path -> {
				String taskId = path.getParent().getFileName().toString();
				boolean known = false;
				for (JsonNode task : tasks) {
					known |= task.get("id").asText().equals(taskId);
				}
				assertThat(known).as("%s belongs to a task", path).isTrue();
				assertThat(path.getFileName().toString()).doesNotStartWith(".part-upload-");
			});
		}
	}

	private static void assertProblem(Api.Response response, int status, String slug) {
		assertThat(response.status()).as(response.text()).isEqualTo(status);
		assertThat(response.json().get("type").asText()).isEqualTo("urn:cct:problem:" + slug);
	}

	private static void assertProblem(Exchange exchange, int status, String slug) throws IOException {
		assertThat(exchange.status()).as(exchange.text()).isEqualTo(status);
		assertThat(exchange.head().toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json")
			.contains("connection: close");
		assertThat(exchange.json().path("type").asText()).as(exchange.text()).isEqualTo("urn:cct:problem:" + slug);
	}

	// --- requests

	private static byte[] multipart(String newFormat, String fileName, byte[] content) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\n" + newFormat
				+ "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"notify\"\r\n\r\nfalse\r\n--" + BOUNDARY
				+ "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return body.toByteArray();
	}

	private static HttpRequest multipartRequest(byte[] body) {
		return HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks"))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + user.token())
			.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private static HttpRequest rawRequest(String query, HttpRequest.BodyPublisher body) {
		return HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks?" + query))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + user.token())
			.header("Content-Type", "application/octet-stream")
			.POST(body)
			.build();
	}

	private static Socket socket() throws IOException {
		Socket socket = new Socket("127.0.0.1", stack.webPort);
		socket.setTcpNoDelay(true);
		socket.setSoTimeout(60_000);
		return socket;
	}

	private static byte[] head(String path, String type, long length) {
		return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + stack.webPort + "\r\nAuthorization: Bearer "
				+ user.token() + "\r\nIdempotency-Key: " + UUID.randomUUID() + "\r\nContent-Type: " + type
				+ "\r\nContent-Length: " + length + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] chunkedHead(String path) {
		return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + stack.webPort + "\r\nAuthorization: Bearer "
				+ user.token() + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static Exchange streamWhileAnswered(byte[] head, byte[] first, byte[] block, long size) throws Exception {
		return streamWhileAnswered(head, first, block, size, false);
	}

	/** Sends head, first, then {@code block} until {@code size} bytes, while the answer is read. */
	private static Exchange streamWhileAnswered(byte[] head, byte[] first, byte[] block, long size, boolean chunked)
			throws Exception {
		try (Socket socket = socket()) {
			AtomicLong sent = new AtomicLong();
			OutputStream out = socket.getOutputStream();
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				try {
					out.write(head);
					out.write(first);
					for (long left = size; left > 0; left -= block.length) {
						if (chunked) {
							out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
						}
						out.write(block);
						if (chunked) {
							out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
						}
						sent.addAndGet(block.length);
					}
					out.flush();
				}
				catch (IOException ex) {
					// the server answered and closed the connection: what we hope for
				}
			});
			Exchange exchange = readResponse(socket.getInputStream());
			socket.close();
			writer.get(60, TimeUnit.SECONDS);
			return new Exchange(exchange.status(), exchange.head(), exchange.body(), sent.get());
		}
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = data.length - pattern.length; i >= 0; i--) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	// --- a raw HTTP/1.1 answer

	private static Exchange readResponse(InputStream in) throws IOException {
		return new Exchange(RawHttp.read(in), 0);
	}

}
