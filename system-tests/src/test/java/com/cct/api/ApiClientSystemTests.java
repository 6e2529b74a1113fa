package com.cct.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * What API clients get, through both jars: API keys (working like a login token, revoked at once,
 * unable to manage keys or the account), signed webhooks delivered once per ending and retried, the
 * password change that refuses older tokens, and the deletion of an account that leaves nothing in
 * PostgreSQL, Redis or storage. The stack allows private webhook addresses (the receivers listen on
 * 127.0.0.1) and retries webhooks after a second (JobRunr's back-off seed 1); the refusal of private
 * addresses is checked on the shared stack, which allows none.
 */
class ApiClientSystemTests {

	static TestStack stack;

	static Api api;

	static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	static Path files;

	static Path wav;

	@BeforeAll
	static void start() {
		Map<String, String> allowPrivate = Map.of("CCT_WEBHOOK_ALLOW_PRIVATE", "true");
		stack = TestStack.isolatedWithWeb("apiclients", TestStack.SHARED_REDIS_PORT, allowPrivate,
				Map.of("CCT_WEBHOOK_ALLOW_PRIVATE", "true", "JOBRUNR_JOBS_RETRY_BACK_OFF_TIME_SEED", "1"));
		api = stack.api();
		wav = Media.audio(files, "song.wav", 1);
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.stop();
		}
	}

	// --- API keys

	@Test
	void aKeyWorksLikeALoginTokenAndStopsTheMomentItIsRevoked() {
		Api.User user = api.newUser();
		Api.Response created = api.postJson("/api/keys", Map.of("name", "backup script"), user.token());
		assertThat(created.status()).isEqualTo(201);
		String key = created.json().get("key").asText();
		String keyId = created.json().get("id").asText();
		assertThat(key).matches("cct_[0-9A-Za-z]{43}");
		assertThat(created.header("Location")).isEqualTo("/api/keys/" + keyId);

		Api.Response uploaded = api.upload(key, wav, "mp3");
		assertThat(uploaded.status()).isEqualTo(201);
		JsonNode done = Tasks.awaitEnd(api, key, uploaded.json().get("id").asText(), Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).isEqualTo("processed");
		assertThat(api.get("/api/tasks", key).status()).isEqualTo(200);
		assertThat(api.get("/api/account", key).json().get("username").asText()).isEqualTo(user.username());
		assertThat(api.get(done.get("links").get("processed").asText(), key).status()).isEqualTo(200);

		JsonNode listed = api.get("/api/keys", user.token()).json();
		assertThat(listed).hasSize(1);
		assertThat(listed.get(0).get("prefix").asText()).isEqualTo(key.substring(0, 12));
		assertThat(listed.get(0).has("key")).as("the key is shown once").isFalse();
		assertThat(listed.get(0).get("lastUsedAt").isNull()).isFalse();
		assertThat(listed.toString()).doesNotContain(key);
		Api.User other = api.newUser();
		assertThat(api.delete("/api/keys/" + keyId, other.token()).status()).as("another user's key").isEqualTo(404);
		assertThat(api.get("/api/tasks", key).status()).isEqualTo(200);

		assertThat(api.delete("/api/keys/" + keyId, user.token()).status()).isEqualTo(204);

		Api.Response refused = api.get("/api/tasks", key);
		assertThat(refused.status()).as("the very next request").isEqualTo(401);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(api.get("/api/tasks/" + done.get("id").asText(), key).status()).isEqualTo(401);
		assertThat(api.delete("/api/keys/" + keyId, user.token()).status()).isEqualTo(404);
		assertThat(api.get("/api/keys", user.token()).json()).isEmpty();
	}

	@Test
	void aKeyCannotManageKeysOrChangeTheAccount() {
		Api.User user = api.newUser();
		JsonNode created = api.postJson("/api/keys", Map.of("name", "ci"), user.token()).json();
		String key = created.get("key").asText();

		List<Api.Response> refused = List.of(api.postJson("/api/keys", Map.of("name", "more"), key),
				api.get("/api/keys", key), api.delete("/api/keys/" + created.get("id").asText(), key),
				api.postJson("/api/account/password",
						Map.of("oldPassword", user.password(), "newPassword", "a-new-horse-77"), key),
				json("DELETE", "/api/account", Map.of("password", user.password()), key));
		for (Api.Response response : refused) {
			assertThat(response.status()).as(response.text()).isEqualTo(403);
			assertThat(response.json().get("type").asText()).isEqualTo("urn:cct:problem:login-token-required");
		}
		assertThat(api.get("/api/keys", user.token()).json()).hasSize(1);
		assertThat(api.login(user.username(), user.password()).status()).as("password unchanged").isEqualTo(200);
		assertThat(api.get("/api/account", key).status()).as("account still there").isEqualTo(200);
	}

	@Test
	void anExpiredKeyIsRefusedAndAnExpiryInThePastIsA400() {
		Api.User user = api.newUser();
		Api.Response past = api.postJson("/api/keys",
				Map.of("name", "old", "expiresAt", Instant.now().minusSeconds(60).toString()), user.token());
		assertThat(past.status()).isEqualTo(400);
		assertThat(api.postJson("/api/keys", Map.of("name", " "), user.token()).status()).isEqualTo(400);

		JsonNode soon = api.postJson("/api/keys",
				Map.of("name", "soon", "expiresAt", Instant.now().plusSeconds(3).toString()), user.token()).json();
		String key = soon.get("key").asText();
		assertThat(api.get("/api/tasks", key).status()).isEqualTo(200);
		await("the key expires").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
			.until(() -> api.get("/api/tasks", key).status() == 401);
	}

	// --- webhooks

	@Test
	void eachEndingIsDeliveredOnceSignedWithTheTaskAsTheApiShowsIt() throws Exception {
		Api.User user = api.newUser();
		try (WebhookReceiver receiver = new WebhookReceiver(204)) {
			JsonNode webhook = createWebhook(user, receiver.url("/all"),
					List.of("task.processed", "task.failed", "task.cancelled"));
			String secret = webhook.get("secret").asText();
			assertThat(api.get("/api/webhooks", user.token()).toString()).doesNotContain(secret);

			String processed = api.upload(user.token(), wav, "mp3").json().get("id").asText();
			String failed = api.upload(user.token(), truncatedVideo(), "webm").json().get("id").asText();
			String cancelled = api.upload(user.token(), Media.hourOfAudio(files, "hour.flac"), "mp3")
				.json()
				.get("id")
				.asText();
			assertThat(api.post("/api/tasks/" + cancelled + "/cancel", user.token()).status()).isEqualTo(202);
			JsonNode processedTask = Tasks.awaitEnd(api, user.token(), processed, Duration.ofSeconds(60));
			JsonNode failedTask = Tasks.awaitEnd(api, user.token(), failed, Duration.ofSeconds(60));
			assertThat(failedTask.get("status").asText()).isEqualTo("failed");

			await("three deliveries").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() >= 3);
			// exactly one per ending: nothing more arrives afterwards
			await("no repeats").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
				.until(() -> receiver.received().size() == 3);

			Map<String, JsonNode> byTask = new java.util.HashMap<>();
			Set<String> deliveryIds = new java.util.HashSet<>();
			for (WebhookReceiver.Received request : receiver.received()) {
				assertThat(request.header("Content-Type")).startsWith("application/json");
				assertSigned(request, secret);
				JsonNode body = JSON.readTree(request.body());
				assertThat(body.get("id").asText()).isEqualTo(request.header("Cct-Delivery"));
				assertThat(request.header("Cct-Event")).isEqualTo(body.get("event").asText());
				deliveryIds.add(request.header("Cct-Delivery"));
				byTask.put(body.get("task").get("id").asText(), body);
			}
			assertThat(deliveryIds).hasSize(3);
			assertThat(byTask.get(processed).get("event").asText()).isEqualTo("task.processed");
			assertThat(byTask.get(failed).get("event").asText()).isEqualTo("task.failed");
			assertThat(byTask.get(cancelled).get("event").asText()).isEqualTo("task.cancelled");
			assertThat(byTask.get(processed).get("task")).as("the task as GET /api/tasks/{id} shows it")
				.isEqualTo(api.task(user.token(), processed));
			assertThat(byTask.get(processed).get("task").get("processedFile").asText())
				.isEqualTo(processedTask.get("processedFile").asText());
			assertThat(byTask.get(failed).get("task").get("error").asText()).isNotBlank();

			for (Map.Entry<String, String> only : Map.of("processed", processed, "failed", failed, "cancelled", cancelled)
				.entrySet()) {
				JsonNode listed = api.get("/api/tasks?order=1&status=" + only.getKey(), user.token()).json();
				assertThat(listed).as("GET /api/tasks?status=" + only.getKey()).hasSize(1);
				assertThat(listed.get(0).get("id").asText()).isEqualTo(only.getValue());
			}
			assertThat(api.get("/api/tasks?status=done", user.token()).status()).isEqualTo(400);

			JsonNode deliveries = api.get("/api/webhooks/" + webhook.get("id").asText() + "/deliveries", user.token())
				.json();
			assertThat(deliveries).hasSize(3);
			deliveries.forEach(delivery -> {
				assertThat(delivery.get("responseCode").asInt()).isEqualTo(204);
				assertThat(delivery.get("attempt").asInt()).isEqualTo(1);
				assertThat(delivery.get("error").isNull()).isTrue();
			});
			assertThat(api.get("/api/webhooks/" + webhook.get("id").asText() + "/deliveries", api.newUser().token())
				.status()).as("another user's webhook").isEqualTo(404);
		}
	}

	@Test
	void onlyTheSubscribedEventsAreDelivered() throws Exception {
		Api.User user = api.newUser();
		try (WebhookReceiver receiver = new WebhookReceiver(200)) {
			createWebhook(user, receiver.url("/failures"), List.of("task.failed"));
			String processed = api.upload(user.token(), wav, "mp3").json().get("id").asText();
			String failed = api.upload(user.token(), truncatedVideo(), "webm").json().get("id").asText();
			Tasks.awaitEnd(api, user.token(), processed, Duration.ofSeconds(60));
			Tasks.awaitEnd(api, user.token(), failed, Duration.ofSeconds(60));

			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 1);
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> receiver.received().size() == 1);
			assertThat(JSON.readTree(receiver.received().get(0).body()).get("task").get("id").asText()).isEqualTo(failed);
		}
	}

	@Test
	void aReceiverThatAnswers500TwiceGetsTheThirdAttempt() throws Exception {
		Api.User user = api.newUser();
		try (WebhookReceiver receiver = new WebhookReceiver(500, 500, 200)) {
			JsonNode webhook = createWebhook(user, receiver.url("/flaky"), List.of("task.processed"));
			String id = api.upload(user.token(), wav, "mp3").json().get("id").asText();
			Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));

			await("three attempts").atMost(Duration.ofSeconds(90)).until(() -> receiver.received().size() >= 3);
			await("none after the success").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
				.until(() -> receiver.received().size() == 3);
			List<String> deliveryIds = receiver.received().stream().map(r -> r.header("Cct-Delivery")).distinct().toList();
			assertThat(deliveryIds).as("one delivery, attempted three times").hasSize(1);
			for (WebhookReceiver.Received request : receiver.received()) {
				assertSigned(request, webhook.get("secret").asText());
			}

			JsonNode deliveries = api.get("/api/webhooks/" + webhook.get("id").asText() + "/deliveries", user.token())
				.json();
			List<String> attempts = new ArrayList<>();
			deliveries.forEach(d -> attempts.add(d.get("attempt").asInt() + ":" + d.get("responseCode").asInt()));
			assertThat(attempts).containsExactly("3:200", "2:500", "1:500");
		}
	}

	@Test
	void webhookRequestsAreChecked() {
		Api.User user = api.newUser();
		for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("task.failed")),
				Map.of("url", "http://127.0.0.1/x", "events", List.of("task.exploded")),
				Map.of("url", "http://127.0.0.1/x", "events", List.of()),
				Map.of("url", "http://user:secret@127.0.0.1/x", "events", List.of("task.failed")),
				Map.of("url", "not a url", "events", List.of("task.failed")))) {
			Api.Response response = api.postJson("/api/webhooks", body, user.token());
			assertThat(response.status()).as(body.toString()).isEqualTo(400);
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		}
		for (int i = 0; i < 10; i++) {
			assertThat(api.postJson("/api/webhooks", Map.of("url", "http://127.0.0.1:9/" + i, "events",
					List.of("task.failed")), user.token()).status()).isEqualTo(201);
		}
		Api.Response eleventh = api.postJson("/api/webhooks",
				Map.of("url", "http://127.0.0.1:9/x", "events", List.of("task.failed")), user.token());
		assertThat(eleventh.status()).isEqualTo(409);
		assertThat(eleventh.json().get("type").asText()).isEqualTo("urn:cct:problem:too-many-webhooks");
		String first = api.get("/api/webhooks", user.token()).json().get(0).get("id").asText();
		assertThat(api.delete("/api/webhooks/" + first, api.newUser().token()).status()).isEqualTo(404);
		assertThat(api.delete("/api/webhooks/" + first, user.token()).status()).isEqualTo(204);
		assertThat(api.delete("/api/webhooks/" + first, user.token()).status()).isEqualTo(404);
	}

	@Test
	void aWebhookToAPrivateAddressIsRefusedWhereThoseAreNotAllowed() {
		// the shared stack runs with the default CCT_WEBHOOK_ALLOW_PRIVATE=false
		Api shared = TestStack.shared().api();
		Api.User user = shared.newUser();
		for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook",
				"http://[::ffff:127.0.0.1]/hook", "http://10.1.2.3/hook", "http://192.168.1.1/hook",
				"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://100.64.0.1/",
				"http://0.0.0.0/", "http://2130706433/", "http://224.0.0.1/")) {
			Api.Response response = shared.postJson("/api/webhooks",
					Map.of("url", url, "events", List.of("task.processed")), user.token());
			assertThat(response.status()).as(url + ": " + response.text()).isEqualTo(400);
			assertThat(response.json().get("type").asText()).isEqualTo("urn:cct:problem:webhook-url-refused");
		}
		assertThat(shared.get("/api/webhooks", user.token()).json()).isEmpty();
	}

	// --- the account

	@Test
	void afterAPasswordChangeEveryEarlierTokenGets401AndKeysStayValid() {
		Api.User user = api.newUser();
		String second = api.login(user.username(), user.password()).json().get("token").asText();
		String key = api.postJson("/api/keys", Map.of("name", "k"), user.token()).json().get("key").asText();
		assertThat(api.get("/api/tasks", user.token()).status()).isEqualTo(200);

		Api.Response weak = api.postJson("/api/account/password",
				Map.of("oldPassword", user.password(), "newPassword", "password"), user.token());
		assertThat(weak.status()).isEqualTo(400);
		Api.Response wrong = api.postJson("/api/account/password",
				Map.of("oldPassword", "not-the-password", "newPassword", "a-new-horse-77"), user.token());
		assertThat(wrong.status()).isEqualTo(403);
		assertThat(api.get("/api/tasks", user.token()).status()).as("refusals change nothing").isEqualTo(200);

		Api.Response changed = api.postJson("/api/account/password",
				Map.of("oldPassword", user.password(), "newPassword", "a-new-horse-77"), user.token());
		assertThat(changed.status()).isEqualTo(200);
		String fresh = changed.json().get("token").asText();

		for (String old : List.of(user.token(), second)) {
			Api.Response refused = api.get("/api/tasks", old);
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(api.get("/api/tasks", fresh).status()).isEqualTo(200);
		assertThat(api.get("/api/tasks", key).status()).as("API keys are not login tokens").isEqualTo(200);
		assertThat(api.login(user.username(), user.password()).status()).isEqualTo(401);
		String later = api.login(user.username(), "a-new-horse-77").json().get("token").asText();
		assertThat(api.get("/api/account", later).status()).isEqualTo(200);
	}

	@Test
	void deletingTheAccountLeavesNothingInPostgresRedisOrStorage() throws Exception {
		Api.User user = api.newUser();
		String userId = api.get("/api/account", user.token()).json().get("id").asText();
		try (WebhookReceiver receiver = new WebhookReceiver(204)) {
			String webhookId = createWebhook(user, receiver.url("/gone"), List.of("task.processed", "task.cancelled"))
				.get("id")
				.asText();
			api.postJson("/api/keys", Map.of("name", "k"), user.token());
			String processed = api.upload(user.token(), wav, "mp3").json().get("id").asText();
			Tasks.awaitEnd(api, user.token(), processed, Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
			String running = api.upload(user.token(), Media.hourOfAudio(files, "long.flac"), "mp3")
				.json()
				.get("id")
				.asText();
			assertThat(Files.isDirectory(stack.storage.resolve(userId))).isTrue();
			List<String> ids = List.of(userId, webhookId, processed, running);

			Api.Response wrong = json("DELETE", "/api/account", Map.of("password", "nope-nope-1"), user.token());
			assertThat(wrong.status()).isEqualTo(403);
			assertThat(api.get("/api/account", user.token()).status()).isEqualTo(200);

			Api.Response deleted = json("DELETE", "/api/account", Map.of("password", user.password()), user.token());
			assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);

			assertThat(api.get("/api/account", user.token()).status()).isEqualTo(401);
			assertThat(api.login(user.username(), user.password()).status()).isEqualTo(401);
			assertThat(Files.exists(stack.storage.resolve(userId))).as("the account's folder").isFalse();
			try (Connection db = stack.database()) {
				for (String table : List.of("users where id", "tasks where user_id", "api_keys where user_id",
						"webhooks where user_id", "upload_log where user_id")) {
					assertThat(count(db, "select count(*) from " + table + " = ?::uuid", userId)).as(table).isZero();
				}
				assertThat(count(db, "select count(*) from webhook_deliveries where webhook_id = ?::uuid", webhookId))
					.isZero();
				for (String id : ids) {
					assertThat(count(db, "select count(*) from jobrunr_jobs where id::text = ? or jobasjson like ?", id,
							"%" + id + "%")).as("JobRunr jobs naming " + id).isZero();
				}
			}
			try (Jedis redis = new Jedis("127.0.0.1", stack.redisPort)) {
				for (String id : ids) {
					assertThat(scan(redis, "*" + id + "*")).as("Redis keys naming " + id).isEmpty();
				}
			}
			// a late worker must not bring anything back (the cancelled conversion, its webhook)
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
				.until(() -> !Files.exists(stack.storage.resolve(userId)));
		}
	}

	// --- helpers

	static JsonNode createWebhook(Api.User user, String url, List<String> events) {
		Api.Response created = api.postJson("/api/webhooks", Map.of("url", url, "events", events), user.token());
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(created.json().get("secret").asText()).isNotBlank();
		return created.json();
	}

	/** Checks Cct-Signature as a receiver would: HMAC-SHA256 of "t.body" with the secret, a fresh t. */
	static void assertSigned(WebhookReceiver.Received request, String secret) throws Exception {
		String header = request.header("Cct-Signature");
		assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
		Map<String, String> parts = Arrays.stream(header.split(","))
			.map(part -> part.split("=", 2))
			.collect(Collectors.toMap(part -> part[0], part -> part[1]));
		long t = Long.parseLong(parts.get("t"));
		assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(300);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
		assertThat(parts.get("v1")).isEqualTo(HexFormat.of().formatHex(mac.doFinal(request.body())));
		mac.init(new SecretKeySpec("another-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
		assertThat(parts.get("v1")).isNotEqualTo(HexFormat.of().formatHex(mac.doFinal(request.body())));
	}

	static Path truncatedVideo() throws Exception {
		Path video = Media.video(files, "clip-" + UUID.randomUUID() + ".mp4", 4);
		byte[] bytes = Files.readAllBytes(video);
		return Media.write(files.resolve("cut-" + UUID.randomUUID() + ".mp4"), Arrays.copyOf(bytes, bytes.length / 4));
	}

	static Api.Response json(String method, String path, Object body, String token) {
		try {
			return api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
				.timeout(Duration.ofSeconds(60))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
				.build());
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static long count(Connection db, String sql, String... args) throws Exception {
		try (PreparedStatement statement = db.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setString(i + 1, args[i]);
			}
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	static List<String> scan(Jedis redis, String pattern) {
		List<String> keys = new ArrayList<>();
		String cursor = ScanParams.SCAN_POINTER_START;
		do {
			ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
			keys.addAll(page.getResult());
			cursor = page.getCursor();
		}
		while (!cursor.equals(ScanParams.SCAN_POINTER_START));
		return keys;
	}

}
