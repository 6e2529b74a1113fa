package com.cct.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.OnSharedStack;
import com.cct.support.RawHttp;
import com.cct.support.Tus;

/**
 * The server keeps its word on every connection: an answer without {@code Connection: close} leaves
 * the connection open for the next request, and one with it is followed by the close. A client
 * pools a connection whose last answer did not say close; if the server closes it anyway, the next
 * request on it gets no answer at all, and an HTTP client does not retry a POST or a PATCH.
 * <p>
 * The refusals that leave a request body unread are the answers at risk: the server closes rather
 * than reading the rest at the sender's pace. Each request here is sent whole, at once, over a raw
 * socket, so what follows the answer is what the server did with the connection.
 */
class KeepAliveSystemTests extends OnSharedStack {

	private static Api.User user;

	private static Tus tus;

	private static byte[] mp3Start;

	@BeforeAll
	static void prepare() throws IOException {
		user = api.newUser();
		tus = new Tus(api);
		mp3Start = Arrays.copyOf(Files.readAllBytes(Media.audio(files, "song.mp3", 5)), 1000);
	}

	@Test
	void aPatchOfAnUnknownUpload() throws IOException {
		assertKeepsItsWord(patch("/api/uploads/" + UUID.randomUUID(), user.token(), "application/offset+octet-stream"),
				mp3Start, 404);
	}

	@Test
	void aPatchOfTheWrongContentType() throws IOException {
		String id = tus.start(user.token(), 100_000, "song.mp3", "ogg");

		assertKeepsItsWord(patch("/api/uploads/" + id, user.token(), "application/octet-stream"), mp3Start, 415);
	}

	@Test
	void aPatchWithAForgedToken() throws IOException {
		assertKeepsItsWord(patch("/api/uploads/" + UUID.randomUUID(), "forged." + user.token(),
				"application/offset+octet-stream"), mp3Start, 401);
	}

	@Test
	void aRawUploadWithAForgedToken() throws IOException {
		assertKeepsItsWord(post("/api/tasks?newFormat=ogg&fileName=song.mp3", "forged." + user.token()), mp3Start, 401);
	}

	@Test
	void aRawUploadToAnUnknownFormat() throws IOException {
		assertKeepsItsWord(post("/api/tasks?newFormat=nope&fileName=song.mp3", user.token()), mp3Start, 400);
	}

	@Test
	void aBodyToARouteThatTakesNone() throws IOException {
		assertKeepsItsWord(post("/api/tasks/" + UUID.randomUUID() + "/nothing-here", user.token()), mp3Start, 404);
	}

	@Test
	void anAcceptedPatchKeepsTheConnectionOpen() throws IOException {
		String id = tus.start(user.token(), 100_000, "song.mp3", "ogg");

		RawHttp.Answer answer = assertKeepsItsWord(
				patch("/api/uploads/" + id, user.token(), "application/offset+octet-stream"), mp3Start, 204);

		assertThat(answer.closesConnection()).as(answer.head()).isFalse();
	}

	/**
	 * Sends the request and its whole body, expects {@code status}, then checks what the answer
	 * promised: the close, or an answer to a second request on the same connection.
	 */
	private static RawHttp.Answer assertKeepsItsWord(String head, byte[] body, int status) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", stack.webPort)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write((head + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();

			RawHttp.Answer answer = RawHttp.read(in);
			assertThat(answer.status()).as(answer.text()).isEqualTo(status);
			if (answer.closesConnection()) {
				assertThat(in.read()).as("the connection ends after Connection: close").isEqualTo(-1);
				return answer;
			}
			out.write(("GET /api/account HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user.token()
					+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			RawHttp.Answer next;
			try {
				next = RawHttp.read(in);
			}
			catch (IOException ex) {
				throw new AssertionError("the answer " + answer.head().lines().findFirst().orElse("")
						+ " kept the connection open (no Connection: close), but the next request on it got: " + ex,
						ex);
			}
			assertThat(next.status()).as(next.text()).isEqualTo(200);
			return answer;
		}
	}

	private static String patch(String path, String token, String contentType) {
		return "PATCH " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
				+ "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: " + contentType + "\r\n";
	}

	private static String post(String path, String token) {
		return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
				+ "\r\nContent-Type: application/octet-stream\r\n";
	}

}
