package com.cct.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.TestStack;
import com.cct.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fairness between accounts on the workers: one worker with 2 threads, account A uploads 40 short
 * conversions, then account B uploads one. In upload order B would wait for all of A's (about 20 of
 * A's task times); with the fair share B's starts within about two.
 */
@Tag("serial") // timed under load: runs alone, after the parallel suites (see the pom)
class FairnessSystemTests {

	private static final int BURST = 40;

	static TestStack stack;

	static Api api;

	@TempDir
	static Path files;

	@BeforeAll
	static void start() {
		stack = TestStack.isolatedWithWeb("fairness", TestStack.SHARED_REDIS_PORT,
				Map.of("CCT_USER_ACTIVE_TASKS", "100", "CCT_USER_UPLOADS_PER_HOUR", "1000"),
				Map.of("CCT_WORKER_COUNT", "2", "CCT_USER_RUNNING_TASKS", "1"));
		api = stack.api();
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void aSecondAccountStartsWithinAboutTwoTasksOfABurstOfTheFirst() {
		Path song = Media.audio(files, "minute.wav", 60);
		Api.User a = api.newUser();
		Api.User b = api.newUser();
		List<String> burst = new ArrayList<>();
		for (int i = 0; i < BURST; i++) {
			Api.Response created = api.upload(a.token(), song, "mp3");
			assertThat(created.status()).as(created.text()).isEqualTo(201);
			burst.add(created.json().get("id").asText());
		}
		// B arrives while A's burst is being converted
		await().atMost(Duration.ofSeconds(60)).until(() -> api.task(a.token(), burst.get(0)).get("status").asText()
			.equals("processed"));
		Api.Response created = api.upload(b.token(), song, "mp3");
		assertThat(created.status()).isEqualTo(201);
		String bId = created.json().get("id").asText();

		JsonNode bTask = Tasks.awaitEnd(api, b.token(), bId, Duration.ofSeconds(90));
		List<JsonNode> aTasks = new ArrayList<>();
		for (String id : burst) {
			aTasks.add(Tasks.awaitEnd(api, a.token(), id, Duration.ofSeconds(150)));
		}

		assertThat(bTask.get("status").asText()).isEqualTo("processed");
		assertThat(aTasks).allSatisfy(task -> assertThat(task.get("status").asText()).isEqualTo("processed"));
		double meanMillis = aTasks.stream()
			.mapToLong(task -> millis(task.get("startedAt"), task.get("finishedAt")))
			.average()
			.orElseThrow();
		long bWait = millis(bTask.get("createdAt"), bTask.get("startedAt"));
		long aStillQueued = aTasks.stream()
			.filter(task -> instant(task.get("startedAt")).isAfter(instant(bTask.get("startedAt"))))
			.count();
		System.out.printf("fairness: A's %d tasks took %.0f ms each on average (2 threads); B waited %d ms "
				+ "(%.2f A tasks) to start, ahead of %d of A's that were still queued%n", BURST, meanMillis, bWait,
				bWait / meanMillis, aStillQueued);
		assertThat(aStillQueued).as("B did not wait for the whole burst").isGreaterThan(BURST / 2);
		assertThat((double) bWait).as("B's wait against A's mean task time").isLessThanOrEqualTo(2.5 * meanMillis + 1000);
	}

	private static long millis(JsonNode from, JsonNode to) {
		return Duration.between(instant(from), instant(to)).toMillis();
	}

	private static Instant instant(JsonNode value) {
		return Instant.parse(value.asText());
	}

}
