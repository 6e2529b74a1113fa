package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.OnSharedStack;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.cct.support.Tus;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * tus 1.0 at {@code /api/uploads}, over HTTP as a client would speak it: chunks, HEAD, a PATCH cut
 * midway and resumed, the task that the last byte makes under the upload's id, and every refusal.
 * Each check also looks at what was stored.
 */
class ResumableUploadSystemTests extends OnSharedStack {

	private static Tus tus;

	private static Api.User user;

	private static String userId;

	private static byte[] mp3;

	@BeforeAll
	static void prepare() throws IOException {
		tus = new Tus(api);
		user = api.newUser();
		userId = api.get("/api/account", user.token()).json().get("id").asText();
		mp3 = Files.readAllBytes(Media.audio(files, "long.mp3", 30));
		assertThat(mp3.length).as("the file spans several chunks past the content check").isGreaterThan(200_000);
	}

	@Test
	void optionsTellsWhatTheServerSpeaksWithoutAToken() {
		Api.Response options = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/uploads"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.build());

		assertThat(options.status()).isEqualTo(204);
		assertThat(options.header("Tus-Version")).isEqualTo("1.0.0");
		assertThat(options.header("Tus-Extension").split(",")).contains("creation", "termination", "expiration");
		assertThat(options.header("Tus-Max-Size")).isEqualTo(Long.toString(64L << 20));
	}

	@Test
	void anUploadInChunksBecomesTheTaskOfItsIdConvertsAndKeepsItsBytes() {
		Api.Response created = tus.create(user.token(), mp3.length,
				Tus.metadata("filename", "chunked song.mp3", "newFormat", "ogg", "quality", "low", "notify", "false"));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(created.header("Tus-Resumable")).isEqualTo("1.0.0");
		assertThat(created.header("Upload-Expires")).isNotBlank();
		String id = created.header("Location").substring("/api/uploads/".length());
		assertThat(api.get("/api/tasks/" + id, user.token()).status()).as("no task before the last byte").isEqualTo(404);

		int chunk = 100_000;
		for (int offset = 0; offset < mp3.length; offset += chunk) {
			assertThat(tus.offset(user.token(), id)).isEqualTo(offset);
			Api.Response patched = tus.patch(user.token(), id, offset,
					Arrays.copyOfRange(mp3, offset, Math.min(mp3.length, offset + chunk)));
			assertThat(patched.status()).as(patched.text()).isEqualTo(204);
			assertThat(patched.header("Upload-Offset")).isEqualTo(Long.toString(Math.min(mp3.length, offset + chunk)));
		}

		JsonNode task = api.task(user.token(), id);
		assertThat(task.get("fileName").asText()).isEqualTo("chunked song.mp3");
		assertThat(task.get("sizeBytes").asLong()).isEqualTo(mp3.length);
		assertThat(original(task)).isEqualTo(mp3);
		Api.Response head = tus.head(user.token(), id);
		assertThat(head.status()).as("HEAD after the last byte").isEqualTo(200);
		assertThat(head.header("Upload-Offset")).isEqualTo(Long.toString(mp3.length));
		assertThat(Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(120)).get("status").asText())
			.isEqualTo("processed");
		assertThat(partial(id)).doesNotExist();
	}

	@Test
	void aPatchCutMidwayKeepsWhatArrivedAndTheUploadResumesFromThere() throws Exception {
		String id = tus.start(user.token(), mp3.length, "cut.mp3", "zip");
		int chunk = 150_000;
		try (Socket socket = halfAPatch(id, chunk)) {
			// the server has them once it reads on: wait for that, then the connection drops
			Thread.sleep(500);
		}
		await("the cut PATCH's bytes count").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> tus.offset(user.token(), id) == chunk / 2);

		Api.Response rest = tus.patch(user.token(), id, chunk / 2, Arrays.copyOfRange(mp3, chunk / 2, mp3.length));

		assertThat(rest.status()).as(rest.text()).isEqualTo(204);
		assertThat(original(api.task(user.token(), id))).isEqualTo(mp3);
	}

	@Test
	void aSecondPatchWhileOneIsWritingIsRefusedAndCorruptsNothing() throws Exception {
		String id = tus.start(user.token(), mp3.length, "twice.mp3", "zip");
		int chunk = 100_000;
		try (Socket socket = halfAPatch(id, chunk)) {
			OutputStream out = socket.getOutputStream();
			// the first PATCH holds the upload while it waits for the rest of its body
			await("the first PATCH writes").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> Files.size(partial(id)) == chunk / 2);
			Api.Response second = tus.patch(user.token(), id, 0, Arrays.copyOf(mp3, chunk));
			assertThat(second.status()).as(second.text()).isEqualTo(423);
			assertThat(second.header("Retry-After")).isNotBlank();
			out.write(mp3, chunk / 2, chunk / 2);
			out.flush();
			String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(status).isEqualTo("HTTP/1.1 204");
		}

		assertThat(tus.offset(user.token(), id)).isEqualTo(chunk);
		assertThat(tus.patch(user.token(), id, chunk, Arrays.copyOfRange(mp3, chunk, mp3.length)).status()).isEqualTo(204);
		assertThat(original(api.task(user.token(), id))).isEqualTo(mp3);
	}

	@Test
	void aPatchAtAnotherOffsetIsAConflictAndChangesNothing() {
		String id = tus.start(user.token(), mp3.length, "offset.mp3", "zip");
		assertThat(tus.patch(user.token(), id, 0, Arrays.copyOf(mp3, 1000)).status()).isEqualTo(204);

		Api.Response conflict = tus.patch(user.token(), id, 500, Arrays.copyOfRange(mp3, 500, 1500));

		assertProblem(conflict, 409, "offset-mismatch");
		assertThat(tus.offset(user.token(), id)).isEqualTo(1000);
	}

	@Test
	void anotherUsersUploadIsNotFound() {
		String id = tus.start(user.token(), mp3.length, "mine.mp3", "zip");
		Api.User other = api.newUser();

		assertProblem(tus.patch(other.token(), id, 0, Arrays.copyOf(mp3, 1000)), 404, "not-found");
		assertThat(tus.head(other.token(), id).status()).isEqualTo(404);
		assertProblem(tus.delete(other.token(), id), 404, "not-found");
		assertThat(tus.offset(user.token(), id)).isZero();
	}

	@Test
	void anotherProtocolVersionIsAPreconditionFailure() {
		Api.Response refused = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/uploads"))
			.header("Authorization", "Bearer " + user.token())
			.header("Tus-Resumable", "0.2.2")
			.header("Upload-Length", "1000")
			.header("Upload-Metadata", Tus.metadata("filename", "old.mp3", "newFormat", "zip"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());

		assertProblem(refused, 412, "tus-version");
		assertThat(refused.header("Tus-Version")).isEqualTo("1.0.0");
	}

	@Test
	void terminationDeletesTheUploadAndItsBytes() {
		String id = tus.start(user.token(), mp3.length, "gone.mp3", "zip");
		assertThat(tus.patch(user.token(), id, 0, Arrays.copyOf(mp3, 1000)).status()).isEqualTo(204);
		assertThat(partial(id)).hasSize(1000);

		assertThat(tus.delete(user.token(), id).status()).isEqualTo(204);

		assertThat(tus.head(user.token(), id).status()).isEqualTo(404);
		assertThat(partial(id).getParent()).doesNotExist();
		assertThat(api.get("/api/tasks/" + id, user.token()).status()).isEqualTo(404);
	}

	@Test
	void anUploadLengthOverTheLimitIsRefusedAtCreation() {
		Api.Response refused = tus.create(user.token(), (64L << 20) + 1, Tus.metadata("filename", "big.bin", "newFormat", "zip"));

		assertProblem(refused, 413, "too-large");
	}

	@Test
	void bytesBeyondUploadLengthAreRefusedAndNotCounted() {
		String id = tus.start(user.token(), 1000, "short.mp3", "zip");

		assertProblem(tus.patch(user.token(), id, 0, Arrays.copyOf(mp3, 1500)), 413, "beyond-upload-length");

		assertThat(tus.offset(user.token(), id)).isZero();
		assertThat(tus.patch(user.token(), id, 0, Arrays.copyOf(mp3, 1000)).status()).isEqualTo(204);
		assertThat(original(api.task(user.token(), id))).isEqualTo(Arrays.copyOf(mp3, 1000));
	}

	@Test
	void aPatchOfAnotherContentTypeIsUnsupported() {
		String id = tus.start(user.token(), mp3.length, "typed.mp3", "zip");

		Api.Response refused = api.send(tus.request("/api/uploads/" + id, user.token())
			.header("Content-Type", "application/octet-stream")
			.header("Upload-Offset", "0")
			.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(mp3, 1000)))
			.build());

		assertProblem(refused, 415, "wrong-content-type");
		assertThat(tus.offset(user.token(), id)).isZero();
	}

	@Test
	void contentThatIsNotWhatItsNameClaimsIsRefusedOnceItsFirstBytesArrive() {
		byte[] text = "plain text, not an mp3 at all\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
		String id = tus.start(user.token(), text.length, "fake.mp3", "ogg");
		assertThat(tus.patch(user.token(), id, 0, Arrays.copyOf(text, 10_000)).status())
			.as("not judged before 64 KB")
			.isEqualTo(204);

		Api.Response refused = tus.patch(user.token(), id, 10_000, Arrays.copyOfRange(text, 10_000, 100_000));

		assertProblem(refused, 415, "content-mismatch");
		assertThat(tus.head(user.token(), id).status()).isEqualTo(404);
		assertThat(partial(id).getParent()).doesNotExist();
	}

	@Test
	void metadataWithoutATargetIsABadRequest() {
		assertProblem(tus.create(user.token(), 1000, Tus.metadata("filename", "song.mp3")), 400, "missing-format");
		assertProblem(tus.create(user.token(), 1000, "filename not-base64!"), 400, "invalid-upload-metadata");
		assertProblem(tus.create(user.token(), 1000, Tus.metadata("filename", "song.mp3", "newFormat", "png")), 400,
				"unsupported-conversion");
	}

	/** A stack whose uploads expire after 2 seconds and whose accounts may upload one file an hour. */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class ShortExpiryAndOneUploadAnHour {

		private TestStack small;

		private Api smallApi;

		private Tus smallTus;

		@BeforeAll
		void start() {
			this.small = TestStack.isolatedWithWeb("tusexpiry", TestStack.SHARED_REDIS_PORT,
					Map.of("CCT_TUS_EXPIRY", "2s", "CCT_USER_UPLOADS_PER_HOUR", "1"), Map.of("CCT_WORKER_COUNT", "1"));
			this.smallApi = this.small.api();
			this.smallTus = new Tus(this.smallApi);
		}

		@AfterAll
		void stop() {
			if (this.small != null) {
				this.small.stop();
			}
		}

		@Test
		void anUploadNotContinuedIsSweptWithItsBytes() {
			Api.User owner = this.smallApi.newUser();
			String ownerId = this.smallApi.get("/api/account", owner.token()).json().get("id").asText();
			String id = this.smallTus.start(owner.token(), mp3.length, "stale.mp3", "zip");
			assertThat(this.smallTus.patch(owner.token(), id, 0, Arrays.copyOf(mp3, 1000)).status()).isEqualTo(204);
			Path folder = this.small.storage.resolve(ownerId).resolve(id);
			assertThat(folder).isDirectory();

			await("the stale upload is swept").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> !Files.exists(folder));

			assertThat(this.smallTus.head(owner.token(), id).status()).isEqualTo(404);
			assertProblem(this.smallTus.patch(owner.token(), id, 1000, Arrays.copyOfRange(mp3, 1000, 2000)), 404,
					"not-found");
		}

		@Test
		void anAccountAtItsHourlyUploadsIsRefusedAtCreation() throws IOException {
			Api.User owner = this.smallApi.newUser();
			Path song = Media.write(files.resolve("hourly.mp3"), mp3);
			assertThat(this.smallApi.upload(owner.token(), song, "zip").status()).isEqualTo(201);

			Api.Response refused = this.smallTus.create(owner.token(), mp3.length,
					Tus.metadata("filename", "second.mp3", "newFormat", "zip"));

			assertProblem(refused, 429, "upload-rate");
			assertThat(refused.header("Retry-After")).isNotBlank();
		}

	}

	// --- helpers

	/** A socket that sent the first PATCH of an upload, with the first half of its {@code chunk} bytes. */
	private static Socket halfAPatch(String id, int chunk) throws IOException {
		Socket socket = new Socket("127.0.0.1", URI.create(api.base()).getPort());
		OutputStream out = socket.getOutputStream();
		out.write(patchHead(id, 0, chunk));
		out.write(mp3, 0, chunk / 2);
		out.flush();
		return socket;
	}

	/** A PATCH's request head, for a body the test sends itself over a socket. */
	private static byte[] patchHead(String id, long offset, long contentLength) {
		return ("PATCH /api/uploads/" + id + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user.token()
				+ "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
				+ "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + contentLength + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static Path partial(String id) {
		return stack.storage.resolve(userId).resolve(id).resolve(".part-tus-upload");
	}

	private static byte[] original(JsonNode task) {
		Api.Response download = api.get("/api/files/" + task.get("originalFile").asText(), user.token());
		assertThat(download.status()).isEqualTo(200);
		return download.bytes();
	}

	private static void assertProblem(Api.Response response, int status, String slug) {
		assertThat(response.status()).as(response.text()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asText()).isEqualTo("urn:cct:problem:" + slug);
		assertThat(response.header("Tus-Resumable")).isEqualTo("1.0.0");
	}

}
