package com.cct;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/** The HTTP contract of DESIGN.md, against the web and worker jars running as separate JVMs. */
class ApiSystemTests extends OnSharedStack {

	@Test
	void signsUpAndLogsIn() {
		String name = "alice" + System.nanoTime();
		Api.Response created = api.signup(name, name + "@example.test", "correct-horse-9", "correct-horse-9");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("username").asText()).isEqualTo(name);
		assertThat(created.json().has("password1")).isFalse();

		Api.Response login = api.login(name, "correct-horse-9");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.json().get("tokenType").asText()).isEqualTo("Bearer");
		assertThat(login.json().get("expiresIn").asLong()).isPositive();
	}

	@Test
	void refusesDuplicateAccountsWith409() {
		String name = "bob" + System.nanoTime();
		assertThat(api.signup(name, name + "@example.test", "correct-horse-9", "correct-horse-9").status()).isEqualTo(201);
		Api.Response sameName = api.signup(name.toUpperCase(), "other" + name + "@example.test", "correct-horse-9",
				"correct-horse-9");
		assertThat(sameName.status()).isEqualTo(409);
		assertThat(sameName.header("Content-Type")).startsWith("application/problem+json");
		// a taken email is answered like a new account, so sign-up reveals nobody's (security/FairAuthSystemTests)
		assertThat(api.signup("x" + name, name + "@example.test", "correct-horse-9", "correct-horse-9").status())
			.isEqualTo(201);
	}

	@Test
	void rejectsInvalidSignupsWith400() {
		String name = "carol" + System.nanoTime();
		Api.Response differ = api.signup(name, name + "@example.test", "correct-horse-9", "correct-horse-8");
		assertThat(differ.status()).isEqualTo(400);
		assertThat(differ.json().get("errors").toString()).contains("passwords differ");
		assertThat(api.signup(name, name + "@example.test", "short", "short").status()).isEqualTo(400);
		assertThat(api.signup(name, "not-an-email", "correct-horse-9", "correct-horse-9").status()).isEqualTo(400);
		assertThat(api.signup(name, name + "@example.test", "password", "password").status()).isEqualTo(400);
	}

	@Test
	void answersUnknownUserAndWrongPasswordIdentically() {
		Api.User user = api.newUser();
		Api.Response wrongPassword = api.login(user.username(), "not-the-password");
		Api.Response unknownUser = api.login("nobody" + System.nanoTime(), "not-the-password");
		assertThat(wrongPassword.status()).isEqualTo(401);
		assertThat(unknownUser.status()).isEqualTo(401);
		JsonNode one = ((com.fasterxml.jackson.databind.node.ObjectNode) wrongPassword.json()).without("instance");
		JsonNode other = ((com.fasterxml.jackson.databind.node.ObjectNode) unknownUser.json()).without("instance");
		assertThat(one.toString()).isEqualTo(other.toString());
	}

	@ParameterizedTest
	@CsvSource({ "clip.mp4, mkv, video, h264", "clip.mp4, avi, video, mpeg4", "clip.mp4, mp3, audio, mp3",
			"tone.wav, mp3, audio, mp3", "tone.wav, ogg, audio, vorbis", "tone.wav, acc, audio, aac",
			"card.png, jpg, video, mjpeg", "card.png, webp, video, webp", "photo.jpg, png, video, png",
			"photo.jpg, webp, video, webp", "photo.jpg, avif, video, av1", "clip.webm, mp4, video, h264",
			"clip.mkv, mp3, audio, mp3", "photo.heic, jpg, video, mjpeg", "photo.heic, png, video, png" })
	void convertsMediaAndServesTheResult(String input, String target, String streamType, String codec) throws Exception {
		Api.User user = api.newUser();
		Path source = switch (input) {
			case "clip.mp4" -> Media.video(files, "clip-" + target + ".mp4", 2);
			case "tone.wav" -> Media.audio(files, "tone-" + target + ".wav", 2);
			// a JPEG is read by its content, not sent to the image-sequence demuxer by its name
			case "photo.jpg" -> Media.ffmpeg(files.resolve("photo-" + target + ".jpg"), "-f", "lavfi", "-i",
					"testsrc=size=320x240", "-frames:v", "1");
			// an iPhone-style photo, made by libheif's encoder
			case "photo.heic" -> {
				Path png = Media.ffmpeg(files.resolve("heic-source-" + target + ".png"), "-f", "lavfi", "-i",
						"testsrc=size=320x240", "-frames:v", "1");
				Path heic = files.resolve("photo-" + target + ".heic");
				Media.run(List.of("heif-enc", "-q", "60", "-o", heic.toString(), png.toString()));
				yield heic;
			}
			// Tika calls WebM and Matroska both application/x-matroska
			case "clip.webm", "clip.mkv" -> Media.ffmpeg(files.resolve("clip-" + target + input.substring(4)), "-f", "lavfi",
					"-i", "testsrc=size=160x120:rate=10:duration=1", "-f", "lavfi", "-i", "sine=duration=1", "-shortest",
					"-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus");
			default -> Media.image(files, "card-" + target + ".png");
		};
		Api.Response created = api.upload(user.token(), source, target);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String id = created.json().get("id").asText();
		assertThat(created.header("Location")).endsWith("/api/tasks/" + id);
		assertThat(created.json().get("status").asText()).isIn("uploaded", "processing");

		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		assertThat(done.get("progress").asInt()).isEqualTo(100);
		assertThat(done.get("startedAt").isNull()).isFalse();
		assertThat(done.get("finishedAt").isNull()).isFalse();

		Api.Response download = api.get(done.get("links").get("processed").asText(), user.token());
		assertThat(download.status()).isEqualTo(200);
		assertThat(download.header("Content-Disposition")).contains("attachment");
		Path result = Media.write(files.resolve(id + ".out"), download.bytes());
		assertThat(Files.size(result)).isEqualTo(done.get("processedSizeBytes").asLong());
		JsonNode probe = Media.probe(result);
		assertThat(probe.get("streams"))
			.anySatisfy(stream -> {
				assertThat(stream.get("codec_type").asText()).isEqualTo(streamType);
				assertThat(stream.get("codec_name").asText()).isEqualTo(codec);
			});
	}

	@Test
	void servesRangeRequests() {
		Api.User user = api.newUser();
		Path source = Media.audio(files, "range.wav", 1);
		String id = api.upload(user.token(), source, "flac").json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		Api.Response part = api.get(done.get("links").get("original").asText(), user.token(), Map.of("Range", "bytes=0-3"));
		assertThat(part.status()).isEqualTo(206);
		assertThat(part.text()).isEqualTo("RIFF");
	}

	@Test
	void listsWithMaxAndOrder() {
		Api.User user = api.newUser();
		Path source = Media.audio(files, "list.wav", 1);
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(api.upload(user.token(), source, "mp3").json().get("id").asText());
		}
		assertThat(idsOf(api.get("/api/tasks", user.token()).json())).containsExactlyElementsOf(ids);
		assertThat(idsOf(api.get("/api/tasks?order=1", user.token()).json())).containsExactlyElementsOf(reversed(ids));
		assertThat(idsOf(api.get("/api/tasks?max=2&order=0", user.token()).json())).containsExactly(ids.get(0), ids.get(1));
		assertThat(idsOf(api.get("/api/tasks?max=1&order=1", user.token()).json())).containsExactly(ids.get(2));
		assertThat(api.get("/api/tasks?order=7", user.token()).status()).isEqualTo(400);
		assertThat(api.get("/api/tasks?max=0", user.token()).status()).isEqualTo(400);
		assertThat(idsOf(api.get("/api/tasks", api.newUser().token()).json())).isEmpty();
	}

	@Test
	void deletesTaskJobAndFiles() throws Exception {
		Api.User user = api.newUser();
		Path source = Media.audio(files, "delete.wav", 1);
		String id = api.upload(user.token(), source, "mp3").json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		Path folder = stack.taskFolder(id);
		assertThat(folder).isDirectory();
		try (var entries = Files.list(folder)) {
			assertThat(entries.map(p -> p.getFileName().toString()))
				.containsExactlyInAnyOrder(done.get("originalFile").asText(), done.get("processedFile").asText());
		}

		assertThat(api.delete("/api/tasks/" + id, user.token()).status()).isEqualTo(204);
		assertThat(api.get("/api/tasks/" + id, user.token()).status()).isEqualTo(404);
		assertThat(api.get(done.get("links").get("processed").asText(), user.token()).status()).isEqualTo(404);
		assertThat(folder).doesNotExist();
		assertThat(api.delete("/api/tasks/" + id, user.token()).status()).isEqualTo(404);
	}

	@Test
	void hidesOtherUsersTasksAndFilesBehind404() {
		Api.User owner = api.newUser();
		Api.User intruder = api.newUser();
		String id = api.upload(owner.token(), Media.audio(files, "mine.wav", 1), "mp3").json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, owner.token(), id, Duration.ofSeconds(60));
		assertThat(api.get("/api/tasks/" + id, intruder.token()).status()).isEqualTo(404);
		assertThat(api.get("/api/tasks/" + id + "/events", intruder.token()).status()).isEqualTo(404);
		assertThat(api.delete("/api/tasks/" + id, intruder.token()).status()).isEqualTo(404);
		assertThat(api.post("/api/tasks/" + id + "/retry", intruder.token()).status()).isEqualTo(404);
		assertThat(api.get(done.get("links").get("processed").asText(), intruder.token()).status()).isEqualTo(404);
		assertThat(api.get(done.get("links").get("original").asText(), intruder.token()).status()).isEqualTo(404);
		assertThat(api.get("/api/files/..%2F..%2Fetc%2Fpasswd", owner.token()).status()).isIn(400, 404);
		assertThat(api.get("/api/tasks/not-a-uuid", owner.token()).status()).isEqualTo(404);
	}

	@Test
	void requiresATokenEverywhereButSignupLoginAndFormats() {
		assertThat(api.get("/api/tasks", null).status()).isEqualTo(401);
		assertThat(api.get("/api/tasks", null).header("Content-Type")).startsWith("application/problem+json");
		assertThat(api.get("/api/tasks", "garbage").status()).isEqualTo(401);
		assertThat(api.get("/api/files/0123456789abcdef0123456789abcdef.mp3", null).status()).isEqualTo(401);
		Api.Response formats = api.get("/api/formats", null);
		assertThat(formats.status()).isEqualTo(200);
		assertThat(formats.json().get("conversions").get("mp4").toString()).contains("webm", "mp3", "zip");
		assertThat(formats.json().get("qualities").toString()).contains("low");
	}

	@Test
	void rejectsBadUploadsWithProblemBodies() {
		Api.User user = api.newUser();
		Path wav = Media.audio(files, "bad.wav", 1);

		Api.Response unknown = api.upload(user.token(), wav, "doc");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unknown.json().get("type").asText()).isEqualTo("urn:cct:problem:unknown-format");
		assertThat(unknown.json().get("detail").asText()).contains("doc");

		assertThat(api.upload(user.token(), wav, "png").status()).isEqualTo(400);
		assertThat(api.upload(user.token(), "fileName", wav, "bad.wav", Api.fields(), Map.of()).status()).isEqualTo(400);
		assertThat(api.upload(user.token(), "other", wav, "bad.wav", Api.fields("newFormat", "mp3"), Map.of()).status())
			.isEqualTo(400);
		assertThat(api.upload(user.token(), "fileName", wav, "bad.wav", Api.fields("newFormat", "mp3", "quality", "ultra"),
				Map.of()).status()).isEqualTo(400);
		Path empty = Media.write(files.resolve("empty.wav"), new byte[0]);
		assertThat(api.upload(user.token(), empty, "mp3").status()).isEqualTo(400);
	}

	@Test
	void acceptsTheFilePartUnderItsCommonName() {
		Api.User user = api.newUser();
		Api.Response created = api.upload(user.token(), "file", Media.audio(files, "common.wav", 1), "common.wav",
				Api.fields("newFormat", "mp3"), Map.of());
		assertThat(created.status()).isEqualTo(201);
	}

	@Test
	void rejectsContentThatIsNotWhatItsNameClaims() {
		Api.User user = api.newUser();
		Path text = Media.write(files.resolve("movie.mp4"), "just some text, not a movie\n".repeat(20).getBytes());
		Api.Response response = api.upload(user.token(), text, "mp3");
		assertThat(response.status()).isEqualTo(415);
		assertThat(response.json().get("detail").asText()).contains("text/plain");

		Path image = Media.image(files, "really-a-png.png");
		Api.Response renamed = api.upload(user.token(), "fileName", image, "song.mp3", Api.fields("newFormat", "ogg"),
				Map.of());
		assertThat(renamed.status()).isEqualTo(415);

		// an HLS playlist that points at a local file, renamed to .mp4: refused before it reaches ffmpeg
		Path playlist = Media.write(files.resolve("hls.mp4"),
				"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n".getBytes());
		assertThat(api.upload(user.token(), playlist, "mp4").status()).isEqualTo(415);
	}

	@Test
	void failsATruncatedFileWithAReason() throws Exception {
		Api.User user = api.newUser();
		Path whole = Media.video(files, "whole.mp4", 2);
		byte[] bytes = Files.readAllBytes(whole);
		Path truncated = Media.write(files.resolve("truncated.mp4"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
		Api.Response created = api.upload(user.token(), truncated, "webm");
		if (created.status() == 201) {
			JsonNode done = Tasks.awaitEnd(api, user.token(), created.json().get("id").asText(), Duration.ofSeconds(60));
			assertThat(done.get("status").asText()).isEqualTo("failed");
			assertThat(done.get("error").asText()).isNotBlank().doesNotContain("/").doesNotContainIgnoringCase("exception");
		}
		else {
			assertThat(created.status()).isBetween(400, 499);
		}
	}

	@Test
	void returnsTheSameTaskForARepeatedIdempotencyKey() {
		Api.User user = api.newUser();
		Path wav = Media.audio(files, "idem.wav", 1);
		Map<String, String> key = Map.of("Idempotency-Key", "upload-" + System.nanoTime());
		Api.Response first = api.upload(user.token(), "fileName", wav, "idem.wav", Api.fields("newFormat", "mp3"), key);
		Api.Response again = api.upload(user.token(), "fileName", wav, "idem.wav", Api.fields("newFormat", "mp3"), key);
		assertThat(first.status()).isEqualTo(201);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(idsOf(api.get("/api/tasks", user.token()).json())).hasSize(1);
	}

	@Test
	void publishesAnOpenApiDescription() {
		Api.Response docs = api.get("/v3/api-docs", null);
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json().get("paths").fieldNames()).toIterable()
			.contains("/api/auth/signup", "/api/auth/login", "/api/tasks", "/api/tasks/{id}", "/api/files/{name}",
					"/api/formats", "/api/tasks/{id}/events", "/api/tasks/{id}/cancel", "/api/tasks/{id}/retry");
	}

	@Test
	void protectsTheDashboardAndExposesHealthAndMetrics() throws Exception {
		String dashboard = "http://127.0.0.1:" + stack.dashboardPort + "/api/jobs?state=SUCCEEDED";
		assertThat(api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard)).build()).status())
			.isEqualTo(401);
		String basic = java.util.Base64.getEncoder()
			.encodeToString(("operator:" + TestStack.DASHBOARD_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		assertThat(api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard))
			.header("Authorization", "Basic " + basic)
			.build()).status()).isEqualTo(200);

		Api.User user = api.newUser();
		String id = api.upload(user.token(), Media.audio(files, "metrics.wav", 1), "mp3").json().get("id").asText();
		Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		String web = api.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + stack.webManagementPort + "/actuator/prometheus"))
			.build()).text();
		assertThat(web).contains("cct_uploads_total").contains("jobrunr_jobs");
		String worker = api.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + stack.workerManagementPort + "/actuator/prometheus"))
			.build()).text();
		assertThat(worker).contains("cct_conversions_seconds_count").contains("cct_task_pickup_seconds")
			.contains("cct_bytes_in_bytes_total");
		assertThat(api.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + stack.workerManagementPort + "/actuator/health"))
			.build()).status()).isEqualTo(200);
	}

	static List<String> reversed(List<String> list) {
		List<String> copy = new java.util.ArrayList<>(list);
		java.util.Collections.reverse(copy);
		return copy;
	}

	static List<String> idsOf(JsonNode list) {
		return StreamSupport.stream(list.spliterator(), false).map(task -> task.get("id").asText()).toList();
	}

}
