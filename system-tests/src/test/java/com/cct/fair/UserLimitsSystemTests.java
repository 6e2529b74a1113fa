package com.cct.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.EventStream;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.cct.support.ThrowawayServices;
import com.fasterxml.jackson.databind.JsonNode;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The per-account limits through both jars, set small: 2 unfinished tasks, 5 uploads an hour, 48 MB
 * stored, 2 event streams. Each limit's problem, what {@code GET /api/account} says, and how the
 * account gets out of it. A Redis of its own, so the flood of the slow-reader test reaches no other
 * stack.
 */
class UserLimitsSystemTests {

	static ThrowawayServices.Redis redis;

	static TestStack stack;

	static Api api;

	@TempDir
	static Path files;

	static Path longAudio;

	static Path shortAudio;

	@BeforeAll
	static void start() {
		redis = new ThrowawayServices.Redis().start();
		stack = TestStack.isolatedWithWeb("limits", redis.port,
				Map.of("CCT_USER_ACTIVE_TASKS", "2", "CCT_USER_UPLOADS_PER_HOUR", "5", "CCT_USER_STORAGE_QUOTA", "48MB",
						"CCT_USER_STREAMS", "2"),
				Map.of("CCT_WORKER_COUNT", "2"));
		api = stack.api();
		longAudio = Media.hourOfAudio(files, "hour.flac");
		shortAudio = Media.audio(files, "short.wav", 3);
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.stop();
		}
		if (redis != null) {
			redis.stop();
		}
	}

	@Nested
	class ActiveTasks {

		@Test
		void theThirdUnfinishedTaskIsA429UntilOneEndsAndARetryCountsToo() {
			Api.User user = api.newUser();
			String first = created(api.upload(user.token(), longAudio, "mp3"));
			String second = created(api.upload(user.token(), longAudio, "mp3"));

			Api.Response refused = api.upload(user.token(), longAudio, "mp3");
			assertProblem(refused, 429, "too-many-active-tasks");
			assertThat(refused.json().get("detail").asText()).contains("2 unfinished tasks");
			assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
			JsonNode usage = account(user).get("usage");
			assertThat(usage.get("activeTasks").get("used").asLong()).isEqualTo(2);
			assertThat(usage.get("activeTasks").get("limit").asLong()).isEqualTo(2);
			assertThat(api.get("/api/tasks", user.token()).json()).as("nothing stored for the refused upload").hasSize(2);

			assertThat(api.post("/api/tasks/" + first + "/cancel", user.token()).status()).isEqualTo(202);
			String third = created(api.upload(user.token(), longAudio, "mp3"));

			Api.Response retry = api.post("/api/tasks/" + first + "/retry", user.token());
			assertProblem(retry, 429, "too-many-active-tasks");
			assertThat(retry.json().get("detail").asText()).endsWith("retry this one.");
			assertThat(api.task(user.token(), first).get("status").asText()).isEqualTo("cancelled");

			assertThat(api.post("/api/tasks/" + second + "/cancel", user.token()).status()).isEqualTo(202);
			assertThat(api.post("/api/tasks/" + first + "/retry", user.token()).status()).isEqualTo(202);
			api.post("/api/tasks/" + first + "/cancel", user.token());
			api.post("/api/tasks/" + third + "/cancel", user.token());
		}

	}

	@Nested
	class StorageQuota {

		@Test
		void anUploadThatDoesNotFitIsA413UntilTheOwnerDeletesSomething() throws IOException {
			Api.User user = api.newUser();
			Path big = zeros("big.bin", 30);
			Path more = zeros("more.bin", 20);
			String first = created(api.upload(user.token(), big, "zip"));
			Tasks.awaitEnd(api, user.token(), first, Duration.ofSeconds(60));
			long stored = account(user).get("usage").get("storedBytes").get("used").asLong();
			JsonNode done = api.task(user.token(), first);
			assertThat(stored).isEqualTo(done.get("sizeBytes").asLong() + done.get("processedSizeBytes").asLong());
			assertThat(account(user).get("usage").get("storedBytes").get("limit").asLong()).isEqualTo(48L << 20);

			Api.Response refused = api.upload(user.token(), more, "zip");
			assertProblem(refused, 413, "storage-quota");
			assertThat(refused.json().get("detail").asText()).contains("of your 48 MB").contains("(20 MB) does not fit");
			assertThat(refused.header("Retry-After")).isNull();

			assertThat(api.delete("/api/tasks/" + first, user.token()).status()).isEqualTo(204);
			assertThat(account(user).get("usage").get("storedBytes").get("used").asLong()).isZero();
			String second = created(api.upload(user.token(), more, "zip"));
			Tasks.awaitEnd(api, user.token(), second, Duration.ofSeconds(60));
		}

	}

	@Nested
	class UploadsPerHour {

		@Test
		void theSixthUploadInAnHourIsA429EvenAfterDeletingAndPassesOnceTheHourHasGone() throws Exception {
			Api.User user = api.newUser();
			Path picture = Media.image(files, "picture.png");
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				String id = created(api.upload(user.token(), picture, "jpg"));
				Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
				ids.add(id);
			}
			Api.Response refused = api.upload(user.token(), picture, "jpg");
			assertProblem(refused, 429, "upload-rate");
			assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3000L, 3600L);
			assertThat(refused.json().get("detail").asText()).contains("5 files in the last hour");

			for (String id : ids) {
				assertThat(api.delete("/api/tasks/" + id, user.token()).status()).isEqualTo(204);
			}
			JsonNode usage = account(user).get("usage");
			assertThat(usage.get("uploadsLastHour").get("used").asLong()).isEqualTo(5);
			assertThat(usage.get("uploadsLastHour").get("limit").asLong()).isEqualTo(5);
			assertThat(usage.get("activeTasks").get("used").asLong()).isZero();
			assertProblem(api.upload(user.token(), picture, "jpg"), 429, "upload-rate");

			// an hour passes (for this account's log only)
			try (Connection db = stack.database();
					PreparedStatement sql = db.prepareStatement("update upload_log set uploaded_at = uploaded_at - interval "
							+ "'61 minutes' where user_id = (select id from users where username = ?)")) {
				sql.setString(1, user.username());
				assertThat(sql.executeUpdate()).isEqualTo(5);
			}
			assertThat(account(user).get("usage").get("uploadsLastHour").get("used").asLong()).isZero();
			created(api.upload(user.token(), picture, "jpg"));
		}

	}

	@Nested
	class Account {

		@Test
		void showsWhoTheOwnerIsAndNeedsAToken() {
			Api.User user = api.newUser();
			JsonNode account = account(user);
			assertThat(account.get("username").asText()).isEqualTo(user.username());
			assertThat(account.get("email").asText()).isEqualTo(user.email());
			assertThat(account.get("usage").get("uploadsLastHour").get("used").asLong()).isZero();
			assertThat(account.get("usage").get("activeTasks").get("limit").asLong()).isEqualTo(2);
			assertThat(api.get("/api/account", null).status()).isEqualTo(401);
		}

	}

	@Nested
	class Streams {

		@Test
		void theThirdOpenStreamIsA429UntilOneEnds() throws Exception {
			Api.User user = api.newUser();
			String first = created(api.upload(user.token(), longAudio, "mp3"));
			String second = created(api.upload(user.token(), longAudio, "mp3"));
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<InputStream> one = openStream(http, user, first);
			HttpResponse<InputStream> two = openStream(http, user, second);
			assertThat(one.statusCode()).isEqualTo(200);
			assertThat(two.statusCode()).isEqualTo(200);

			Api.Response refused = api.get("/api/tasks/" + second + "/events", user.token());
			assertProblem(refused, 429, "too-many-streams");
			assertThat(refused.header("Retry-After")).isNotNull();
			assertThat(api.get("/api/tasks/" + second + "/events", api.newUser().token()).status())
				.as("another account's limit is its own (and the task is not theirs)").isEqualTo(404);

			api.post("/api/tasks/" + first + "/cancel", user.token());
			// the first stream ends with a final status (cancelled, or processed when the hour of audio
			// converted before the cancel arrived, as it can on a quiet machine), which gives its place back
			try (InputStream body = one.body()) {
				assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
					.containsAnyOf("\"status\":\"cancelled\"", "\"status\":\"processed\"");
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<InputStream> again = openStream(http, user, second);
				again.body().close();
				assertThat(again.statusCode()).isEqualTo(200);
			});
			two.body().close();
			api.post("/api/tasks/" + second + "/cancel", user.token());
		}

		/**
		 * A client that opens a stream and never reads (a small receive buffer) while its task's events
		 * flood in: it is dropped, and streams of the same and of another account still get their
		 * events promptly.
		 */
		@Test
		void aClientThatNeverReadsIsDroppedWhileOtherStreamsGetTheirEventsPromptly() throws Exception {
			Api.User owner = api.newUser();
			Api.User other = api.newUser();
			String slowTask = created(api.upload(owner.token(), longAudio, "mp3"));
			try (Socket slow = new Socket()) {
				slow.setReceiveBufferSize(2048);
				slow.connect(new InetSocketAddress("127.0.0.1", stack.webPort), 5000);
				OutputStream out = slow.getOutputStream();
				out.write(("GET /api/tasks/" + slowTask + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
						+ owner.token() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = slow.getInputStream();
				// the first event arrived (unread): the stream is open and followed
				await().atMost(Duration.ofSeconds(10)).until(() -> in.available() > 0);

				AtomicBoolean flooding = new AtomicBoolean(true);
				AtomicLong floodBytes = new AtomicLong();
				ExecutorService threads = Executors.newFixedThreadPool(3);
				try {
					CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(slowTask, flooding, floodBytes),
							threads);
					await().atMost(Duration.ofSeconds(10)).until(() -> floodBytes.get() > 8_000_000);

					String sameOwners = created(api.upload(owner.token(), shortAudio, "mp3"));
					String others = created(api.upload(other.token(), shortAudio, "mp3"));
					CompletableFuture<Instant> sameEnd = CompletableFuture.supplyAsync(() -> readToEnd(owner, sameOwners),
							threads);
					CompletableFuture<Instant> otherEnd = CompletableFuture.supplyAsync(() -> readToEnd(other, others),
							threads);
					Instant sameEnded = sameEnd.get(60, TimeUnit.SECONDS);
					Instant otherEnded = otherEnd.get(60, TimeUnit.SECONDS);
					flooding.set(false);
					flood.get(30, TimeUnit.SECONDS);

					Instant sameFinished = Instant.parse(api.task(owner.token(), sameOwners).get("finishedAt").asText());
					Instant otherFinished = Instant.parse(api.task(other.token(), others).get("finishedAt").asText());
					long sameLag = Duration.between(sameFinished, sameEnded).toMillis();
					long otherLag = Duration.between(otherFinished, otherEnded).toMillis();
					System.out.printf("slow reader: %d MB of events flooded at a client that never reads; the same "
							+ "owner's other stream ended %d ms after its task, another owner's %d ms after%n",
							floodBytes.get() >> 20, sameLag, otherLag);
					assertThat(sameLag).isLessThan(3000);
					assertThat(otherLag).isLessThan(3000);
				}
				finally {
					flooding.set(false);
					threads.shutdownNow();
				}

				// now read what the server still sends: the rest of what it had written, then the end
				slow.setSoTimeout(30_000);
				long read = 0;
				byte[] buffer = new byte[65536];
				String tail = "";
				try {
					int n;
					while ((n = in.read(buffer)) > 0) {
						read += n;
						tail = (tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
						tail = tail.substring(Math.max(0, tail.length() - 16));
						if (tail.endsWith("\r\n0\r\n\r\n")) {
							break;
						}
					}
				}
				catch (SocketTimeoutException ex) {
					throw new AssertionError("the dropped stream was not ended by the server", ex);
				}
				System.out.printf("slow reader: the dropped stream ended after %d KB of %d MB flooded%n", read >> 10,
						floodBytes.get() >> 20);
				assertThat(read).as("the stream was dropped, not written to its end").isLessThan(floodBytes.get() / 2);
			}
			api.post("/api/tasks/" + slowTask + "/cancel", owner.token());
		}

	}

	/** Publishes copies of the task's real snapshot as progress events on its channel, as fast as Redis takes them. */
	private static void flood(String taskId, AtomicBoolean flooding, AtomicLong bytes) {
		try (Jedis jedis = new Jedis("127.0.0.1", redis.port)) {
			String snapshot = jedis.get("cct:task:" + taskId);
			assertThat(snapshot).as("the task's snapshot").isNotNull();
			String event = "{\"type\":\"progress\",\"task\":" + snapshot + "}";
			int sent = 0;
			while (flooding.get() && sent < 60_000) {
				Pipeline pipeline = jedis.pipelined();
				for (int i = 0; i < 500; i++) {
					pipeline.publish("cct:events:" + taskId, event);
				}
				pipeline.sync();
				sent += 500;
				bytes.addAndGet(500L * event.length());
			}
		}
	}

	private static Instant readToEnd(Api.User user, String taskId) {
		try {
			List<EventStream.Event> events = EventStream.readToEnd(api.base(), user.token(), taskId, Duration.ofSeconds(60));
			assertThat(events).last().satisfies(last -> assertThat(last.data().get("status").asText()).isEqualTo("processed"));
			return Instant.now();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static HttpResponse<InputStream> openStream(HttpClient http, Api.User user, String taskId) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks/" + taskId + "/events"))
			.header("Authorization", "Bearer " + user.token())
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofInputStream());
	}

	private static JsonNode account(Api.User user) {
		Api.Response response = api.get("/api/account", user.token());
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		return response.json();
	}

	private static String created(Api.Response response) {
		assertThat(response.status()).as(response.text()).isEqualTo(201);
		return response.json().get("id").asText();
	}

	private static void assertProblem(Api.Response response, int status, String slug) {
		assertThat(response.status()).as(response.text()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asText()).isEqualTo("urn:cct:problem:" + slug);
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
	}

	private static Path zeros(String name, int megabytes) throws IOException {
		Path file = files.resolve(name);
		Files.write(file, new byte[megabytes << 20]);
		return file;
	}

}
