package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.EventStream;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.cct.support.ThrowawayServices;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Outages, on a stack of its own whose PostgreSQL and Redis are throwaway instances this test may
 * stop and start. Its workers have a 4 s ceiling on every conversion; its web reads followed tasks
 * from PostgreSQL every 2 s.
 */
class ResilienceSystemTests {

	static ThrowawayServices.Redis redis;

	static ThrowawayServices.Postgres postgres;

	static TestStack stack;

	static Api api;

	@TempDir
	static Path files;

	@BeforeAll
	static void startStack() {
		redis = new ThrowawayServices.Redis().start();
		postgres = new ThrowawayServices.Postgres().init();
		stack = TestStack.isolated("outage", redis.port, postgres.port, Map.of("CCT_MAX_JOB_DURATION", "4s"),
				Map.of("CCT_EVENTS_RECHECK", "2s"));
		api = stack.api();
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.stop();
		}
		if (redis != null) {
			redis.stop();
		}
		if (postgres != null) {
			postgres.destroy();
		}
	}

	@Test
	void keepsServingAndConvertingWhileRedisIsDownAndRecovers() throws Exception {
		Api.User user = api.newUser();
		String before = api.upload(user.token(), Media.audio(files, "before.wav", 1), "mp3").json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), before, Duration.ofSeconds(60)).get("status").asText())
			.isEqualTo("processed");

		redis.stop();
		try {
			assertThat(api.task(user.token(), before).get("status").asText()).isEqualTo("processed");
			Api.Response upload = api.upload(user.token(), Media.audio(files, "during.wav", 1), "ogg");
			assertThat(upload.status()).isEqualTo(201);
			String during = upload.json().get("id").asText();
			// no wake-up reaches the workers now: the database poll picks the job up
			JsonNode done = Tasks.awaitEnd(api, user.token(), during, Duration.ofSeconds(60));
			assertThat(done.get("status").asText()).isEqualTo("processed");
			assertThat(api.get("/api/tasks?order=1", user.token()).json()).hasSize(2);
			assertThat(EventStream.readToEnd(api.base(), user.token(), during, Duration.ofSeconds(20)))
				.last()
				.satisfies(event -> assertThat(event.data().get("status").asText()).isEqualTo("processed"));
			assertThat(api.get(done.get("links").get("processed").asText(), user.token()).status()).isEqualTo(200);
		}
		finally {
			redis.start();
		}
		// back to normal: new tasks are cached in Redis again
		await("Redis used again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			String id = api.upload(user.token(), Media.audio(files, "after.wav", 1), "mp3").json().get("id").asText();
			try (var jedis = new redis.clients.jedis.Jedis("127.0.0.1", redis.port)) {
				return jedis.exists("cct:task:" + id);
			}
		});
	}

	@Test
	void aStreamStillEndsWhenRedisStallsAndSwallowsItsFinalEvent() throws Exception {
		Api.User user = api.newUser();
		// fails at the 4 s deadline, while Redis is frozen: the worker's final publish goes nowhere
		String id = api.upload(user.token(), Media.longHourOfAudio(files, "stall.flac"), "mp3").json().get("id").asText();
		AtomicBoolean paused = new AtomicBoolean();
		try {
			// the web's subscription neither fails nor hears anything while Redis is stopped; the
			// request timeout covers only the response head, so the wait for the stream's end is bounded here
			List<EventStream.Event> events = CompletableFuture
				.supplyAsync(() -> {
					try {
						return EventStream.readToEnd(api.base(), user.token(), id, Duration.ofSeconds(30), event -> {
							if (paused.compareAndSet(false, true)) {
								redis.pause();
							}
						});
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
				})
				.get(40, TimeUnit.SECONDS);
			assertThat(paused).isTrue();
			assertThat(events).last()
				.satisfies(event -> assertThat(event.data().get("status").asText()).isEqualTo("failed"));
		}
		finally {
			if (paused.get()) {
				redis.resume();
			}
		}
	}

	@Test
	void failsAConversionThatRunsPastItsDeadline() {
		Api.User user = api.newUser();
		Path hour = Media.longHourOfAudio(files, "hour.flac");
		String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).isEqualTo("failed");
		assertThat(done.get("error").asText()).contains("longer than its limit of 4 s");
		assertThat(stack.worker().ffmpegChildren()).isEmpty();
	}

	@Test
	void answers503WhilePostgresIsDownAndRecoversWithoutRestarts() throws Exception {
		Api.User user = api.newUser();
		String before = api.upload(user.token(), Media.audio(files, "pg-before.wav", 1), "mp3").json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), before, Duration.ofSeconds(60)).get("status").asText())
			.isEqualTo("processed");

		postgres.stop();
		try {
			long start = System.nanoTime();
			Api.Response list = api.get("/api/tasks", user.token());
			assertThat(list.status()).isEqualTo(503);
			assertThat(list.header("Content-Type")).startsWith("application/problem+json");
			assertThat(list.header("Retry-After")).isNotNull();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			Api.Response upload = api.upload(user.token(), Media.audio(files, "pg-during.wav", 1), "mp3");
			assertThat(upload.status()).isEqualTo(503);
			assertThat(upload.text()).doesNotContain("jdbc").doesNotContain("SQL");
			assertThat(stack.web().isAlive()).isTrue();
			assertThat(stack.worker().isAlive()).isTrue();
		}
		finally {
			postgres.start();
		}
		await("API back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
			.until(() -> api.get("/api/tasks", user.token()).status() == 200);
		String after = api.upload(user.token(), Media.audio(files, "pg-after.wav", 1), "mp3").json().get("id").asText();
		assertThat(Tasks.awaitEnd(api, user.token(), after, Duration.ofSeconds(90)).get("status").asText())
			.isEqualTo("processed");
		assertThat(api.task(user.token(), before).get("status").asText()).isEqualTo("processed");
	}

}
