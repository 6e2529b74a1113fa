package com.cct.task;

import static com.cct.task.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.cct.format.Format;
import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSettings;
import com.cct.redis.RedisSubscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import redis.clients.jedis.JedisPooled;

/** Against the Redis on 127.0.0.1:6379; every test uses fresh task ids and removes its keys. */
class TaskStatusCacheTests {

	static final Duration TTL = Duration.ofMinutes(5);

	/** As Spring Boot configures it for the web responses: ISO text for times. */
	final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
		.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);

	final List<UUID> used = new CopyOnWriteArrayList<>();

	JedisPooled jedis;

	TaskStatusCache cache;

	RedisGuard guard;

	@BeforeEach
	void setUp() {
		RedisSettings settings = new RedisSettings(URI.create("redis://127.0.0.1:6379"), Duration.ofMillis(500),
				Duration.ofSeconds(2), TTL);
		this.jedis = new JedisPooled("127.0.0.1", 6379);
		this.guard = new RedisGuard(this.jedis, settings, Clock.systemUTC());
		this.cache = new TaskStatusCache(this.guard, this.json, settings);
	}

	@AfterEach
	void tearDown() {
		for (UUID id : this.used) {
			this.jedis.del("cct:task:" + id);
		}
		this.jedis.close();
	}

	Task fresh(String fileName, Format source, Format target, TaskStatus status) {
		Task task = task(fileName, source, target, status);
		this.used.add(task.id());
		return task;
	}

	@Nested
	class Snapshots {

		@Test
		void putAndGetRoundTripTheWholeTask() {
			Task task = fresh("song.mp3", Format.MP3, Format.OGG, TaskStatus.FAILED);

			cache.put(task);

			assertThat(cache.get(task.id())).contains(task);
		}

		@Test
		void roundTripKeepsTypedValuesAndNanosecondTimes() {
			Task task = fresh("a.tgz", Format.TAR_GZ, Format.SEVEN_Z, TaskStatus.PROCESSED);
			cache.put(task);
			Task read = cache.get(task.id()).orElseThrow();
			assertThat(read.source()).isSameAs(Format.TAR_GZ);
			assertThat(read.target()).isSameAs(Format.SEVEN_Z);
			assertThat(read.quality()).isEqualTo(task.quality());
			assertThat(read.status()).isSameAs(TaskStatus.PROCESSED);
			assertThat(read.createdAt()).isEqualTo(TaskFixtures.CREATED);
			assertThat(read.finishedAt()).isEqualTo(task.finishedAt());
		}

		@Test
		void aFileOfNoKnownFormatRoundTripsWithoutSource() {
			Task task = fresh("report.pdf", null, Format.ZIP, TaskStatus.UPLOADED);
			cache.put(task);
			assertThat(cache.get(task.id())).contains(task);
		}

		@Test
		void storesFormatsByIdAndTimesAsNumbersWithATtl() throws Exception {
			Task task = fresh("a.tgz", Format.TAR_GZ, Format.ZIP, TaskStatus.PROCESSING);
			cache.put(task);

			JsonNode stored = new ObjectMapper().readTree(jedis.get("cct:task:" + task.id()));
			assertThat(stored.get("source").asText()).isEqualTo("tar.gz");
			assertThat(stored.get("target").asText()).isEqualTo("zip");
			assertThat(stored.get("status").asText()).isEqualTo("processing");
			assertThat(stored.get("quality").asText()).isEqualTo("low");
			assertThat(stored.get("createdAt").isNumber()).as("createdAt is %s", stored.get("createdAt")).isTrue();
			assertThat(jedis.ttl("cct:task:" + task.id())).isBetween(TTL.toSeconds() - 5, TTL.toSeconds());
			assertThat(json.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS))
				.as("the application's mapper is left as it is")
				.isFalse();
		}

		@Test
		void getOfAnUnknownTaskIsEmpty() {
			assertThat(cache.get(UUID.randomUUID())).isEmpty();
		}

		@Test
		void evictRemovesTheSnapshot() {
			Task task = fresh("song.mp3", Format.MP3, Format.OGG, TaskStatus.UPLOADED);
			cache.put(task);
			cache.evict(task.id());
			assertThat(cache.get(task.id())).isEmpty();
		}

		@Test
		void putReplacesTheEarlierSnapshot() {
			Task task = fresh("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSING);
			cache.put(task);
			cache.put(task.withProgress(60));
			assertThat(cache.get(task.id())).map(Task::progress).contains(60);
		}

	}

	@Nested
	class Events {

		final List<String> messages = new CopyOnWriteArrayList<>();

		RedisSubscription subscription;

		@AfterEach
		void stop() {
			if (this.subscription != null) {
				this.subscription.stop();
			}
		}

		@Test
		void publishWritesTheSnapshotAndTellsTheTasksChannel() {
			Task task = fresh("clip.mp4", Format.MP4, Format.WEBM, TaskStatus.PROCESSING).withProgress(42);
			Task other = fresh("other.mp4", Format.MP4, Format.WEBM, TaskStatus.PROCESSING);
			this.subscription = RedisSubscription.toChannels("test-task-events", guard,
					(channel, message) -> this.messages.add(channel + "\n" + message),
					TaskStatusCache.eventChannel(task.id()));
			this.subscription.start();
			await().atMost(Duration.ofSeconds(10)).until(this.subscription::isListening);

			cache.publish(TaskEvent.STATUS, other);
			cache.publish(TaskEvent.PROGRESS, task);

			await().atMost(Duration.ofSeconds(10)).until(() -> !this.messages.isEmpty());
			String[] received = this.messages.get(0).split("\n", 2);
			assertThat(received[0]).isEqualTo("cct:events:" + task.id());
			TaskEvent event = cache.readEvent(received[1]);
			assertThat(event.type()).isEqualTo(TaskEvent.PROGRESS);
			assertThat(event.task()).isEqualTo(task);
			assertThat(this.messages).hasSize(1);
			assertThat(cache.get(task.id())).contains(task);
			assertThat(cache.get(other.id())).contains(other);
		}

		@Test
		void theEventPatternMatchesEveryTasksChannel() {
			Task task = fresh("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSED);
			this.subscription = RedisSubscription.toPattern("test-task-pattern", guard,
					(channel, message) -> this.messages.add(message), TaskStatusCache.EVENT_PATTERN);
			this.subscription.start();
			await().atMost(Duration.ofSeconds(10)).until(this.subscription::isListening);

			cache.publish(TaskEvent.STATUS, task);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.messages.stream().map(cache::readEvent).anyMatch(event -> event.task().equals(task)));
			assertThat(this.messages.stream().map(cache::readEvent).filter(event -> event.task().equals(task)))
				.singleElement()
				.extracting(TaskEvent::type)
				.isEqualTo(TaskEvent.STATUS);
		}

	}

	/**
	 * Two processes on one Redis: the web wrote a snapshot, then a worker's update of it did not
	 * reach Redis (its guard pauses calls after a failure). The stale snapshot is deleted once Redis
	 * answers the worker again, so readers go to PostgreSQL, where the task has moved on.
	 */
	@Test
	void aSnapshotThisProcessCouldNotUpdateIsDeletedOnceRedisAnswersAgain() {
		Task processing = fresh("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSING);
		cache.publish(TaskEvent.STATUS, processing);
		try (FlakyJedis flaky = new FlakyJedis()) {
			TaskStatusCache worker = otherProcess(flaky);
			flaky.failing = true;

			worker.publish(TaskEvent.PROGRESS, processing.withProgress(99));

			assertThat(cache.get(processing.id())).as("stale while the worker cannot reach Redis").contains(processing);
			assertThat(worker.staleSnapshots()).isEqualTo(1);
			flaky.failing = false;
			await().atMost(Duration.ofSeconds(10)).until(() -> cache.get(processing.id()).isEmpty());
			assertThat(worker.staleSnapshots()).isZero();
			worker.stopRepairs();
		}
	}

	@Test
	void aSnapshotWrittenAfterAFailedWriteIsNotRepairedAway() {
		Task processing = fresh("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSING);
		try (FlakyJedis flaky = new FlakyJedis()) {
			TaskStatusCache worker = otherProcess(flaky);
			flaky.failing = true;
			worker.publish(TaskEvent.PROGRESS, processing.withProgress(10));
			flaky.failing = false;
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				worker.publish(TaskEvent.PROGRESS, processing.withProgress(20));
				return worker.staleSnapshots() == 0;
			});

			assertThat(cache.get(processing.id())).map(Task::progress).contains(20);
			worker.stopRepairs();
		}
	}

	/** Another process's cache on the same Redis, whose guard pauses 300 ms after a failure. */
	TaskStatusCache otherProcess(JedisPooled jedis) {
		RedisSettings settings = new RedisSettings(URI.create("redis://127.0.0.1:6379"), Duration.ofMillis(500),
				Duration.ofMillis(300), TTL);
		return new TaskStatusCache(new RedisGuard(jedis, settings, Clock.systemUTC()), this.json, settings);
	}

	/** The machine's Redis, with writes that fail while {@code failing} is set. */
	static final class FlakyJedis extends JedisPooled {

		volatile boolean failing;

		FlakyJedis() {
			super("127.0.0.1", 6379);
		}

		@Override
		public redis.clients.jedis.Pipeline pipelined() {
			if (this.failing) {
				throw new redis.clients.jedis.exceptions.JedisConnectionException("test: Redis is away");
			}
			return super.pipelined();
		}

		@Override
		public long del(String... keys) {
			if (this.failing) {
				throw new redis.clients.jedis.exceptions.JedisConnectionException("test: Redis is away");
			}
			return super.del(keys);
		}

	}

	@Test
	void withoutRedisNothingIsCachedAndNothingFails() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisSettings settings = new RedisSettings(URI.create("redis://127.0.0.1:" + port), Duration.ofMillis(200),
				Duration.ofSeconds(2), TTL);
		try (JedisPooled nowhere = new JedisPooled("127.0.0.1", port)) {
			TaskStatusCache away = new TaskStatusCache(new RedisGuard(nowhere, settings, Clock.systemUTC()), this.json,
					settings);
			Task task = task("song.mp3", Format.MP3, Format.OGG, TaskStatus.PROCESSING);
			assertThatCode(() -> {
				away.put(task);
				away.publish(TaskEvent.STATUS, task);
				away.evict(task.id());
			}).doesNotThrowAnyException();
			assertThat(away.get(task.id())).isEmpty();
		}
	}

}
