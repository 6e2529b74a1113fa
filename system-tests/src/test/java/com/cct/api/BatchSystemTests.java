package com.cct.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Batches through both jars: one upload to several targets is one task per target sharing one
 * stored original (a hard link per task folder, counted once against the quota and once against
 * the hourly uploads), and {@code POST /api/tasks/{id}/convert} converts a stored original again.
 * The web's limits are small (4 unfinished tasks) so a batch over them is refused whole.
 */
class BatchSystemTests {

	private static final Duration CONVERSION = Duration.ofSeconds(120);

	static TestStack stack;

	static Api api;

	@TempDir
	static Path files;

	static Path song;

	@BeforeAll
	static void start() {
		stack = TestStack.isolatedWithWeb("batch", TestStack.SHARED_REDIS_PORT, Map.of("CCT_USER_ACTIVE_TASKS", "4"),
				Map.of("CCT_WORKER_COUNT", "2"));
		api = stack.api();
		song = Media.audio(files, "song.wav", 3);
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void oneUploadToThreeTargetsGivesThreeTasksSharingOneOriginalThatSurviveADelete() throws Exception {
		Api.User user = api.newUser();
		Api.Response response = api.upload(user.token(), song, "mp3,ogg,flac");
		assertThat(response.status()).as(response.text()).isEqualTo(201);
		assertThat(response.header("Location")).as("several resources: no one Location").isNull();
		JsonNode created = response.json().get("tasks");
		assertThat(created).hasSize(3);
		List<String> ids = new ArrayList<>();
		List<String> formats = new ArrayList<>();
		for (JsonNode task : created) {
			ids.add(task.get("id").asText());
			formats.add(task.get("newFormat").asText());
			assertThat(task.get("sizeBytes").asLong()).isEqualTo(Files.size(song));
		}
		assertThat(formats).containsExactly("mp3", "ogg", "flac");

		long processed = 0;
		for (int i = 0; i < 3; i++) {
			JsonNode done = Tasks.awaitEnd(api, user.token(), ids.get(i), CONVERSION);
			assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
			assertThat(probeResult(user, done)).contains(i == 1 ? "ogg" : formats.get(i));
			processed += done.get("processedSizeBytes").asLong();
		}
		// each task folder holds its own name for the same bytes: one inode, three links
		Path original = originalOf(ids.get(1));
		assertThat(Files.getAttribute(original, "unix:nlink")).isEqualTo(3);

		JsonNode usage = account(user).get("usage");
		assertThat(usage.get("storedBytes").get("used").asLong()).as("the original counted once")
			.isEqualTo(Files.size(song) + processed);
		assertThat(usage.get("uploadsLastHour").get("used").asLong()).as("one upload").isEqualTo(1);

		long firstResult = api.task(user.token(), ids.get(0)).get("processedSizeBytes").asLong();
		assertThat(api.delete("/api/tasks/" + ids.get(0), user.token()).status()).isEqualTo(204);
		assertThat(account(user).get("usage").get("storedBytes").get("used").asLong())
			.as("the others still share the original, counted once").isEqualTo(Files.size(song) + processed - firstResult);
		for (String id : ids.subList(1, 3)) {
			JsonNode task = api.task(user.token(), id);
			Api.Response download = api.get("/api/files/" + task.get("originalFile").asText(), user.token());
			assertThat(download.status()).isEqualTo(200);
			assertThat(download.bytes()).isEqualTo(Files.readAllBytes(song));
			assertThat(probeResult(user, task)).isNotEmpty();
		}
		assertThat(Files.getAttribute(original, "unix:nlink")).isEqualTo(2);
	}

	@Test
	void aRawBodyTakesRepeatedTargetsAndAnIdempotencyKeyReplaysTheWholeBatch() throws Exception {
		Api.User user = api.newUser();
		Api.Response first = raw(user, "?fileName=song.wav&newFormat=mp3&newFormat=ogg", "batch-1");
		assertThat(first.status()).as(first.text()).isEqualTo(201);
		Api.Response again = raw(user, "?fileName=song.wav&newFormat=mp3&newFormat=ogg", "batch-1");
		assertThat(again.status()).as(again.text()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(ids(again)).hasSize(2).isEqualTo(ids(first));
		assertThat(api.get("/api/tasks", user.token()).json()).hasSize(2);
		for (String id : ids(first)) {
			assertThat(Tasks.awaitEnd(api, user.token(), id, CONVERSION).get("status").asText()).isEqualTo("processed");
		}
	}

	@Test
	void aSingleTargetIsAnsweredAsBefore() {
		Api.User user = api.newUser();
		Api.Response response = api.upload(user.token(), song, "mp3");
		assertThat(response.status()).isEqualTo(201);
		String id = response.json().get("id").asText();
		assertThat(response.header("Location")).isEqualTo("/api/tasks/" + id);
		assertThat(response.json().has("tasks")).isFalse();
		Tasks.awaitEnd(api, user.token(), id, CONVERSION);
	}

	@Test
	void theApiDocumentDescribesBothAnswersAndTheConvertRoute() {
		JsonNode docs = api.get("/v3/api-docs", null).json();
		JsonNode created = docs.at("/paths/~1api~1tasks/post/responses/201");
		// typed as the one-target answer (generated clients cannot tell a oneOf of the two apart), the
		// batch's shape described
		assertThat(created.at("/content").toString()).contains("TaskResponse");
		assertThat(created.at("/description").asText()).contains("{\"tasks\": [...]}");
		assertThat(docs.at("/paths/~1api~1tasks~1{id}~1convert/post/requestBody").isMissingNode()).isFalse();
	}

	@Test
	void convertReusesTheUploadedOriginalForItsOwnerOnly() throws Exception {
		Api.User user = api.newUser();
		String id = api.upload(user.token(), song, "mp3").json().get("id").asText();
		JsonNode mp3 = Tasks.awaitEnd(api, user.token(), id, CONVERSION);

		Api.Response response = api.postJson("/api/tasks/" + id + "/convert", Map.of("newFormat", "ogg", "quality", "low"),
				user.token());
		assertThat(response.status()).as(response.text()).isEqualTo(201);
		String again = response.json().get("id").asText();
		assertThat(again).isNotEqualTo(id);
		assertThat(response.header("Location")).isEqualTo("/api/tasks/" + again);
		JsonNode ogg = Tasks.awaitEnd(api, user.token(), again, CONVERSION);
		assertThat(ogg.get("status").asText()).as(ogg.toString()).isEqualTo("processed");
		assertThat(ogg.get("quality").asText()).isEqualTo("low");
		assertThat(probeResult(user, ogg)).contains("ogg");
		JsonNode usage = account(user).get("usage");
		assertThat(usage.get("storedBytes").get("used").asLong()).isEqualTo(Files.size(song)
				+ mp3.get("processedSizeBytes").asLong() + ogg.get("processedSizeBytes").asLong());
		assertThat(usage.get("uploadsLastHour").get("used").asLong()).as("no bytes were sent again").isEqualTo(1);

		Api.User other = api.newUser();
		assertProblem(api.postJson("/api/tasks/" + id + "/convert", Map.of("newFormat", "ogg"), other.token()), 404,
				"not-found");
		assertProblem(api.postJson("/api/tasks/" + id + "/convert", Map.of("newFormat", "png"), user.token()), 400,
				"unsupported-conversion");
		assertProblem(api.postJson("/api/tasks/" + id + "/convert", Map.of("newFormat", "ogg,flac"), user.token()), 400,
				"one-target");

		// the first task deleted, its conversion's original is still there to convert again
		assertThat(api.delete("/api/tasks/" + id, user.token()).status()).isEqualTo(204);
		Api.Response third = api.postJson("/api/tasks/" + again + "/convert", Map.of("newFormat", "flac"), user.token());
		assertThat(third.status()).as(third.text()).isEqualTo(201);
		String flac = third.json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), flac, CONVERSION).get("status").asText()).isEqualTo("processed");

		Files.delete(originalOf(flac));
		assertProblem(api.postJson("/api/tasks/" + flac + "/convert", Map.of("newFormat", "mp3"), user.token()), 409,
				"original-gone");
	}

	@Test
	void aBatchIsRefusedWholeWithNothingStored() throws Exception {
		Api.User user = api.newUser();
		assertProblem(api.upload(user.token(), song, "mp3,ogg,flac,opus,aac"), 429, "too-many-active-tasks");
		assertProblem(api.upload(user.token(), song, "mp3,ogg,png"), 400, "unsupported-conversion");
		assertProblem(api.upload(user.token(), song, "mp3,MP3"), 400, "duplicate-target");
		assertProblem(api.upload(user.token(), song, "mp3,ogg,flac,opus,aac,wav,m4a,wma,aiff,mp4,webm"), 400,
				"too-many-targets");
		assertProblem(api.upload(user.token(), song, "mp3,,ogg"), 400, "missing-format");
		assertThat(api.get("/api/tasks", user.token()).json()).isEmpty();
		JsonNode usage = account(user).get("usage");
		assertThat(usage.get("storedBytes").get("used").asLong()).isZero();
		assertThat(usage.get("uploadsLastHour").get("used").asLong()).isZero();
		assertThat(stack.storage.resolve(userId(user))).as("no folder of this user").doesNotExist();
	}

	private static Api.Response raw(Api.User user, String query, String key) throws IOException {
		return api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/tasks" + query))
			.header("Authorization", "Bearer " + user.token())
			.header("Content-Type", "application/octet-stream")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofFile(song))
			.build());
	}

	private static List<String> ids(Api.Response response) {
		List<String> ids = new ArrayList<>();
		response.json().get("tasks").forEach(task -> ids.add(task.get("id").asText()));
		return ids;
	}

	/** The result's format as ffprobe names it. */
	private static String probeResult(Api.User user, JsonNode task) throws IOException {
		Api.Response download = api.get("/api/files/" + task.get("processedFile").asText(), user.token());
		assertThat(download.status()).isEqualTo(200);
		Path file = Files.write(files.resolve(task.get("id").asText() + "." + task.get("newFormat").asText()),
				download.bytes());
		return Media.probe(file).get("format").get("format_name").asText();
	}

	private static Path originalOf(String taskId) throws Exception {
		try (var entries = Files.list(stack.taskFolder(taskId))) {
			return entries.filter(path -> !path.getFileName().toString().startsWith("."))
				.filter(path -> path.getFileName().toString().endsWith(".wav"))
				.findFirst()
				.orElseThrow();
		}
	}

	private static String userId(Api.User user) throws Exception {
		try (var db = stack.database();
				var sql = db.prepareStatement("select id from users where username = ?")) {
			sql.setString(1, user.username());
			try (var rows = sql.executeQuery()) {
				rows.next();
				return rows.getString(1);
			}
		}
	}

	private static JsonNode account(Api.User user) {
		Api.Response response = api.get("/api/account", user.token());
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		return response.json();
	}

	private static void assertProblem(Api.Response response, int status, String slug) {
		assertThat(response.status()).as(response.text()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asText()).isEqualTo("urn:cct:problem:" + slug);
	}

}
