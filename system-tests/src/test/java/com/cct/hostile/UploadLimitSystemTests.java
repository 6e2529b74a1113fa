package com.cct.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.RawHttp;
import com.cct.support.RawHttp.Exchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bodies over the limit (64 MB in the shared stack) and bodies that never end, sent over a raw
 * socket so the test controls every byte and never holds the body in memory. The web process answers
 * 413 without reading the whole body, survives, and keeps serving everyone else.
 *
 * <p>A stalled upload is cut off by Tomcat's {@code server.tomcat.connection-timeout} (the socket
 * read timeout, 60 s embedded default); in compose, nginx's {@code client_body_timeout} (60 s) and
 * request buffering stand in front of it. The test here shows the stalled request holds up no one
 * else rather than waiting a minute for the cut.
 */
class UploadLimitSystemTests extends OnSharedStack {

	private static final long OVER_LIMIT = 70L << 20;

	private static final String BOUNDARY = "----cctlimit";

	static Api.User user;

	@BeforeAll
	static void prepare() {
		user = api.newUser();
	}

	@Test
	void refusesADeclaredOversizedBodyBeforeReadingIt() throws Exception {
		Exchange exchange = streamUpload(OVER_LIMIT, false);

		assertTooLarge(exchange);
		assertThat(exchange.bytesSent()).as("the server stopped the body long before its end")
			.isLessThan(OVER_LIMIT / 2);
		assertServiceCarriesOn();
	}

	@Test
	void refusesAChunkedBodyOnceItPassesTheLimit() throws Exception {
		Exchange exchange = streamUpload(OVER_LIMIT, true);

		assertTooLarge(exchange);
		assertServiceCarriesOn();
		// the part spooled before the limit was hit is not left behind
		await("spooled upload removed").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> largestSpooledFile() < (1 << 20));
	}

	@Test
	void keepsServingOthersWhileAnUploadStalls() throws Exception {
		try (Socket stalled = new Socket("127.0.0.1", stack.webPort)) {
			OutputStream out = stalled.getOutputStream();
			out.write(requestHead(1 << 20, false));
			out.write(partHead());
			out.write(new byte[1024]);
			out.flush();
			// the upload now waits for bytes that never come; everyone else is served meanwhile
			for (int i = 0; i < 3; i++) {
				assertThat(api.get("/api/tasks", user.token()).status()).isEqualTo(200);
			}
			assertThat(stack.web().isHealthy()).isTrue();
		}
		assertServiceCarriesOn();
	}

	// --- checks

	static void assertTooLarge(Exchange exchange) throws IOException {
		assertThat(exchange.status()).as(exchange.head()).isEqualTo(413);
		assertThat(exchange.head().toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json");
		JsonNode problem = new ObjectMapper().readTree(exchange.body());
		assertThat(problem.get("status").asInt()).isEqualTo(413);
		assertThat(problem.get("type").asText()).isEqualTo("urn:cct:problem:too-large");
	}

	static void assertServiceCarriesOn() {
		assertThat(stack.web().isAlive()).isTrue();
		await("web healthy").atMost(Duration.ofSeconds(10)).until(stack.web()::isHealthy);
		assertThat(api.get("/api/tasks", user.token()).status()).isEqualTo(200);
	}

	static long largestSpooledFile() throws IOException {
		Path incoming = stack.storage.resolve(".incoming");
		if (!Files.isDirectory(incoming)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(incoming)) {
			return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).max().orElse(0);
		}
	}

	// --- a raw HTTP/1.1 exchange

	/** Writes a multipart upload of {@code size} zero bytes from a generator while reading the answer. */
	static Exchange streamUpload(long size, boolean chunked) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", stack.webPort)) {
			socket.setSoTimeout(60_000);
			AtomicLong sent = new AtomicLong();
			OutputStream out = socket.getOutputStream();
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				try {
					out.write(requestHead(size, chunked));
					send(out, partHead(), chunked, sent);
					byte[] block = new byte[64 * 1024];
					for (long left = size; left > 0; left -= block.length) {
						send(out, block, chunked, sent);
					}
					send(out, partTail(), chunked, sent);
					if (chunked) {
						out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					}
					out.flush();
				}
				catch (IOException ex) {
					// the server closed the connection after answering: what we hope for
				}
			});
			Exchange exchange = readResponse(socket.getInputStream(), sent);
			socket.close();
			writer.get();
			return new Exchange(exchange.status(), exchange.head(), exchange.body(), sent.get());
		}
	}

	private static void send(OutputStream out, byte[] bytes, boolean chunked, AtomicLong sent) throws IOException {
		if (chunked) {
			out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		}
		out.write(bytes);
		if (chunked) {
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		sent.addAndGet(bytes.length);
	}

	static byte[] requestHead(long size, boolean chunked) {
		long length = partHead().length + size + partTail().length;
		return ("POST /api/tasks HTTP/1.1\r\nHost: 127.0.0.1:" + stack.webPort + "\r\nAuthorization: Bearer "
				+ user.token() + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
				+ (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	static byte[] partHead() {
		return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nzip\r\n--" + BOUNDARY
				+ "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"big.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	static byte[] partTail() {
		return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
	}

	static Exchange readResponse(InputStream in, AtomicLong sent) throws IOException {
		try {
			return new Exchange(RawHttp.read(in), sent.get());
		}
		catch (EOFException ex) {
			throw new IOException(ex.getMessage() + " (" + sent.get() + " bytes sent)", ex);
		}
	}

}
