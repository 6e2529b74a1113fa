package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.EventStream;
import com.cct.support.Jobs;
import com.cct.support.Media;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/** Progress streams, cancel, retry, reconciliation and wake-ups, on the shared stack. */
class LifecycleSystemTests extends OnSharedStack {

	/** About ten seconds of encoding: long enough to watch, cancel and stream. */
	static Path longAudio;

	@BeforeAll
	static void prepare() {
		longAudio = Media.hourOfAudio(files, "hour.flac");
	}

	@Test
	void streamsProgressThenTheFinalStatus() throws Exception {
		Api.User user = api.newUser();
		Path input = Media.ffmpeg(files.resolve("ten-minutes.flac"), "-f", "lavfi", "-i",
				"sine=frequency=500:duration=900:sample_rate=22050");
		String id = api.upload(user.token(), input, "ogg").json().get("id").asText();
		List<EventStream.Event> events = EventStream.readToEnd(api.base(), user.token(), id, Duration.ofSeconds(120));

		assertThat(events).isNotEmpty();
		assertThat(events.get(0).name()).isEqualTo("status");
		assertThat(events).filteredOn(e -> e.name().equals("progress"))
			.isNotEmpty()
			.allSatisfy(e -> assertThat(e.data().get("progress").asInt()).isBetween(1, 99));
		EventStream.Event last = events.get(events.size() - 1);
		assertThat(last.name()).isEqualTo("status");
		assertThat(last.data().get("status").asText()).isEqualTo("processed");
		assertThat(last.data().get("progress").asInt()).isEqualTo(100);
		List<Integer> progress = events.stream().map(e -> e.data().get("progress").asInt()).toList();
		assertThat(progress).isSorted();

		// a reconnect after the end gets the final snapshot at once, then the stream closes
		List<EventStream.Event> again = EventStream.readToEnd(api.base(), user.token(), id, Duration.ofSeconds(10));
		assertThat(again).singleElement().satisfies(e -> assertThat(e.data().get("status").asText()).isEqualTo("processed"));
	}

	@Test
	void cancelsARunningConversionWithinSecondsAndLeavesNoFfmpeg() throws Exception {
		Api.User user = api.newUser();
		String id = api.upload(user.token(), longAudio, "mp3").json().get("id").asText();
		Tasks.awaitStatus(api, user.token(), id, "processing", Duration.ofSeconds(30));
		await("ffmpeg running").atMost(Duration.ofSeconds(10)).until(() -> !stack.worker().ffmpegChildren().isEmpty());

		long before = System.nanoTime();
		Api.Response cancel = api.post("/api/tasks/" + id + "/cancel", user.token());
		assertThat(cancel.status()).isEqualTo(202);
		assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
		await("ffmpeg killed").atMost(Duration.ofSeconds(5)).until(() -> stack.worker().ffmpegChildren().isEmpty());
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));

		JsonNode task = api.task(user.token(), id);
		assertThat(task.get("status").asText()).isEqualTo("cancelled");
		await("temporary files removed").atMost(Duration.ofSeconds(5))
			.until(() -> filesIn(stack.taskFolder(id)).equals(Set.of(task.get("originalFile").asText())));
		assertThat(api.post("/api/tasks/" + id + "/cancel", user.token()).status()).isEqualTo(409);
		assertThat(api.delete("/api/tasks/" + id, user.token()).status()).isEqualTo(204);
	}

	@Test
	void refusesToDeleteAProcessingTask() throws Exception {
		Api.User user = api.newUser();
		String id = api.upload(user.token(), longAudio, "mp3").json().get("id").asText();
		Tasks.awaitStatus(api, user.token(), id, "processing", Duration.ofSeconds(30));
		Api.Response delete = api.delete("/api/tasks/" + id, user.token());
		assertThat(delete.status()).isEqualTo(409);
		assertThat(delete.json().get("detail").asText()).contains("cancel");
		assertThat(api.post("/api/tasks/" + id + "/cancel", user.token()).status()).isEqualTo(202);
		assertThat(api.delete("/api/tasks/" + id, user.token()).status()).isEqualTo(204);
	}

	@Test
	void retriesAFailedTaskOnceItsCauseIsRemoved() throws Exception {
		Api.User user = api.newUser();
		Path good = Media.audio(files, "cure.wav", 2);
		byte[] bytes = Files.readAllBytes(good);
		// a WAV header followed by too little data: accepted by its magic bytes, fails in the worker
		Path broken = Media.write(files.resolve("broken.wav"), java.util.Arrays.copyOf(bytes, 40));
		String id = api.upload(user.token(), broken, "mp3").json().get("id").asText();
		JsonNode failed = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(failed.get("status").asText()).isEqualTo("failed");
		assertThat(failed.get("error").asText()).isNotBlank();
		assertThat(api.post("/api/tasks/" + id + "/cancel", user.token()).status()).isEqualTo(409);

		// the cause goes away: the stored original is replaced by a sound one
		Files.copy(good, stack.taskFolder(id).resolve(failed.get("originalFile").asText()), StandardCopyOption.REPLACE_EXISTING);
		Api.Response retry = api.post("/api/tasks/" + id + "/retry", user.token());
		assertThat(retry.status()).isEqualTo(202);
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).isEqualTo("processed");
		assertThat(done.get("id").asText()).isEqualTo(id);
		assertThat(done.get("error").isNull()).isTrue();
		assertThat(api.post("/api/tasks/" + id + "/retry", user.token()).status()).isEqualTo(409);
	}

	@Test
	void reconcilerEnqueuesATaskWhoseJobWasDeletedBehindItsBack() throws Exception {
		Api.User user = api.newUser();
		String id = api.upload(user.token(), Media.audio(files, "orphan.wav", 1), "mp3").json().get("id").asText();
		JsonNode first = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(first.get("status").asText()).isEqualTo("processed");

		// as if the process died between committing the task and enqueueing its job
		Files.delete(stack.taskFolder(id).resolve(first.get("processedFile").asText()));
		Jobs.delete(stack, id);
		try (Connection db = stack.database(); PreparedStatement sql = db.prepareStatement(
				"update tasks set status = 'uploaded', progress = 0, started_at = null, finished_at = null,"
						+ " processed_size_bytes = null where id = ?::uuid")) {
			sql.setString(1, id);
			sql.executeUpdate();
		}
		try (var redis = new redis.clients.jedis.Jedis("127.0.0.1", stack.redisPort)) {
			redis.del("cct:task:" + id);
		}
		JsonNode again = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(90));
		assertThat(again.get("status").asText()).isEqualTo("processed");
		assertThat(stack.taskFolder(id).resolve(again.get("processedFile").asText())).isRegularFile();
	}

	@Test
	void everyJobRunsExactlyOnceAcrossWorkersWokenUp() throws Exception {
		List<ServiceProcess> extra = List.of(stack.startWorker("systest-worker-2", Ports.free()),
				stack.startWorker("systest-worker-3", Ports.free()));
		try {
			extra.forEach(worker -> worker.awaitHealthy(Duration.ofSeconds(120)));
			Api.User user = api.newUser();
			Path image = Media.ffmpeg(files.resolve("dot.png"), "-f", "lavfi", "-i", "color=c=red:size=32x32", "-frames:v", "1");
			ExecutorService clients = Executors.newFixedThreadPool(6);
			List<Future<String>> uploads = new ArrayList<>();
			for (int i = 0; i < 240; i++) {
				uploads.add(clients.submit(() -> api.upload(user.token(), image, "bmp").json().get("id").asText()));
			}
			List<String> ids = new ArrayList<>();
			for (Future<String> upload : uploads) {
				ids.add(upload.get());
			}
			clients.shutdown();
			await("all processed").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
				.until(() -> countStatus(user, "processed") == ids.size());
			Set<String> servers = Collections.synchronizedSet(new HashSet<>());
			for (String id : ids) {
				assertThat(Jobs.timesStarted(stack, id)).as("job %s started", id).isEqualTo(1);
				servers.add(Jobs.serverOf(stack, id));
			}
			assertThat(servers).hasSizeGreaterThanOrEqualTo(2);
		}
		finally {
			extra.forEach(worker -> worker.stop(Duration.ofSeconds(20)));
		}
	}

	private static long countStatus(Api.User user, String status) {
		JsonNode list = api.get("/api/tasks?max=1000", user.token()).json();
		long count = 0;
		for (JsonNode task : list) {
			if (task.get("status").asText().equals(status)) {
				count++;
			}
		}
		return count;
	}

	static Set<String> filesIn(Path folder) throws Exception {
		try (var entries = Files.list(folder)) {
			return entries.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
		}
	}

}
