package com.cct.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code CCT_STORAGE_BACKEND=s3} through both jars against a real S3 server (S3Proxy): the web
 * process and the worker share no folder, only the bucket (and PostgreSQL and Redis). Uploads go
 * into the bucket, the worker converts in its own scratch folder, downloads (with Range) stream back
 * from the bucket, and deleting a task or retention removes its objects.
 */
class S3StorageSystemTests {

	static TestStack stack;

	static Api api;

	@TempDir
	static Path media;

	@BeforeAll
	static void start() {
		// every task is past its retention at once; the retention job runs only when a test triggers it
		stack = TestStack.isolatedOnBucket("bucket", Map.of("CCT_RETENTION", "1s"));
		api = stack.api();
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.stop();
		}
	}

	record Converted(Api.User user, String id, JsonNode task, Path upload) {
	}

	static Converted converted(String name) {
		Api.User user = api.newUser();
		Path wav = Media.audio(media, name + ".wav", 3);
		Api.Response created = api.upload(user.token(), wav, "mp3");
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String id = created.json().get("id").asText();
		JsonNode task = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(90));
		assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("processed");
		return new Converted(user, id, task, wav);
	}

	@Test
	void anUploadIsStoredConvertedAndDownloadedThroughTheBucket() throws Exception {
		Converted done = converted("tone");
		String originalFile = done.task().get("originalFile").asText();
		String resultFile = done.task().get("processedFile").asText();
		String resultKey = stack.objects(done.id())
			.stream()
			.filter(key -> key.endsWith("/" + resultFile))
			.findFirst()
			.orElseThrow();

		assertThat(stack.objects(done.id())).map(key -> key.substring(key.lastIndexOf('/') + 1))
			.containsExactlyInAnyOrder(originalFile, resultFile);
		Api.Response original = api.get("/api/files/" + originalFile, done.user().token());
		assertThat(original.status()).isEqualTo(200);
		assertThat(original.bytes()).isEqualTo(Files.readAllBytes(done.upload()));

		Api.Response result = api.get("/api/files/" + resultFile, done.user().token());
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.header("Content-Disposition")).contains("attachment").contains("tone.mp3");
		assertThat(result.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(result.bytes()).isEqualTo(stack.s3().read(resultKey));
		assertThat(result.bytes().length).isEqualTo(done.task().get("processedSizeBytes").asLong());
		Path downloaded = Files.write(media.resolve("downloaded.mp3"), result.bytes());
		assertThat(Media.probe(downloaded).at("/format/format_name").asText()).isEqualTo("mp3");

		Api.Response range = api.get("/api/files/" + resultFile, done.user().token(),
				Map.of("Range", "bytes=100-1099"));
		assertThat(range.status()).isEqualTo(206);
		assertThat(range.header("Content-Range")).isEqualTo("bytes 100-1099/" + result.bytes().length);
		assertThat(range.bytes()).isEqualTo(Arrays.copyOfRange(result.bytes(), 100, 1100));
		Api.Response tail = api.get("/api/files/" + resultFile, done.user().token(),
				Map.of("Range", "bytes=-10"));
		assertThat(tail.status()).isEqualTo(206);
		assertThat(tail.bytes()).isEqualTo(Arrays.copyOfRange(result.bytes(), result.bytes().length - 10,
				result.bytes().length));

		// another account sees nothing of it
		assertThat(api.get("/api/files/" + originalFile, api.newUser().token()).status()).isEqualTo(404);
		// no task folder anywhere but in the bucket: the web writes nothing of an upload to its disk (its
		// folder need not even exist), the worker's scratch folder is emptied after the run
		Path webFolder = stack.storage.resolve("web");
		if (Files.exists(webFolder)) {
			try (var files = Files.walk(webFolder)) {
				assertThat(files.filter(Files::isRegularFile)).isEmpty();
			}
		}
		try (var files = Files.walk(stack.storage.resolve("worker-" + stack.workerManagementPort))) {
			assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
				.containsExactly(".lock");
		}
	}

	/** {@code {userId}/{taskId}/}, the prefix of the task's objects (read while the task exists). */
	static String prefix(Converted done) throws Exception {
		String key = stack.objects(done.id()).get(0);
		return key.substring(0, key.lastIndexOf('/') + 1);
	}

	@Test
	void deletingATaskDeletesItsObjects() throws Exception {
		Converted done = converted("deleted");
		String prefix = prefix(done);
		assertThat(stack.s3().keys(prefix)).hasSize(2);

		assertThat(api.delete("/api/tasks/" + done.id(), done.user().token()).status()).isEqualTo(204);

		assertThat(stack.s3().keys(prefix)).isEmpty();
		assertThat(api.get("/api/files/" + done.task().get("processedFile").asText(), done.user().token()).status())
			.isEqualTo(404);
	}

	@Test
	void retentionDeletesTheObjectsOfOldTasks() throws Exception {
		Converted done = converted("old");
		String prefix = prefix(done);
		assertThat(stack.s3().keys(prefix)).hasSize(2);

		// the row goes first, then the objects; once (of six runs) a triggered run did not start within a
		// minute on the busy build machine, so it is asked for again every 15 s: one more run deletes nothing
		int[] polls = { 0 };
		await("retention deleted the task and its objects").atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				if (polls[0]++ % 60 == 0) {
					triggerRecurringJob("task-retention");
				}
				return api.get("/api/tasks/" + done.id(), done.user().token()).status() == 404
						&& stack.s3().keys(prefix).isEmpty();
			});
	}

	@Test
	void withASecondWorkerOnAScratchFolderOfItsOwnEveryKindOfConversionWorks() throws Exception {
		int port = Ports.free();
		ServiceProcess second = stack.startWorker(stack.database + "-second", port).awaitHealthy(Duration.ofSeconds(120));
		try {
			Api.User user = api.newUser();
			Path zip = media.resolve("notes.zip");
			try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
				out.putNextEntry(new java.util.zip.ZipEntry("notes.txt"));
				out.write("the same line\n".repeat(10_000).getBytes(StandardCharsets.UTF_8));
				out.closeEntry();
			}
			Map<Path, String> uploads = Map.of(Media.audio(media, "a.wav", 2), "ogg", Media.image(media, "i.png"),
					"jpg", zip, "tar.gz", Media.audio(media, "b.wav", 2), "zip", Media.video(media, "v.mp4", 2),
					"webm");
			for (Map.Entry<Path, String> upload : uploads.entrySet()) {
				Api.Response created = api.upload(user.token(), upload.getKey(), upload.getValue());
				assertThat(created.status()).as(created.text()).isEqualTo(201);
				String id = created.json().get("id").asText();
				JsonNode task = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(120));
				assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("processed");
				Api.Response result = api.get("/api/files/" + task.get("processedFile").asText(), user.token());
				assertThat(result.status()).isEqualTo(200);
				assertThat(result.bytes().length).isEqualTo(task.get("processedSizeBytes").asLong()).isPositive();
			}
		}
		finally {
			second.stop(Duration.ofSeconds(70));
		}
		assertThat(stack.storage.resolve("worker-" + port).resolve("scratch"))
			.as("its own scratch folder, empty between conversions")
			.isDirectory();
		try (var files = Files.walk(stack.storage.resolve("worker-" + port))) {
			assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
				.containsExactly(".lock");
		}
	}

	@Test
	void aWorkerWhoseBucketIsMissingRefusesToStartAndSaysWhy() throws Exception {
		int port = Ports.free();
		ServiceProcess worker = stack.startWorker(stack.database + "-nobucket", port,
				Map.of("CCT_S3_BUCKET", "no-such-bucket"));
		try {
			assertThatThrownBy(() -> worker.awaitHealthy(Duration.ofSeconds(120))).hasMessageContaining("exited");
			assertThat(Files.readString(Path.of("target", "logs", stack.database + "-nobucket.log")))
				.contains("The bucket no-such-bucket at " + stack.s3().endpoint() + " does not exist")
				.contains("CCT_S3_BUCKET");
		}
		finally {
			worker.kill();
		}
	}

	@Test
	void aWebProcessWithTheWrongSecretRefusesToStartAndSaysWhy() throws Exception {
		Map<String, String> env = stack.webEnvironment();
		int management = Ports.free();
		env.put("SERVER_PORT", Integer.toString(Ports.free()));
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(management));
		env.put("JOBRUNR_DASHBOARD_PORT", Integer.toString(Ports.free()));
		env.put("CCT_S3_SECRET_KEY", "not-the-secret");
		ServiceProcess web = new ServiceProcess(stack.database + "-badsecret", Path.of(System.getProperty("cct.appJar")),
				env, management, java.util.List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
			.start();
		try {
			assertThatThrownBy(() -> web.awaitHealthy(Duration.ofSeconds(120))).hasMessageContaining("exited");
			assertThat(Files.readString(Path.of("target", "logs", stack.database + "-badsecret.log")))
				.contains("refused the credentials")
				.contains("CCT_S3_SECRET_KEY");
		}
		finally {
			web.kill();
		}
	}

	/** What an operator does on the dashboard: run a recurring job now. */
	private static void triggerRecurringJob(String id) {
		String basic = Base64.getEncoder()
			.encodeToString(("operator:" + TestStack.DASHBOARD_PASSWORD).getBytes(StandardCharsets.UTF_8));
		Api.Response triggered = api.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + stack.dashboardPort + "/api/recurring-jobs/" + id + "/trigger"))
			.header("Authorization", "Basic " + basic)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(triggered.status()).as(triggered.text()).isBetween(200, 299);
	}

}
