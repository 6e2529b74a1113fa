package com.cct.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

class RedisSubscriptionTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path dir;

	static ThrowawayRedis server;

	final List<String> received = new CopyOnWriteArrayList<>();

	final String prefix = "sub:" + UUID.randomUUID() + ":";

	JedisPooled jedis;

	RedisGuard guard;

	RedisSubscription subscription;

	@BeforeAll
	static void startServer() throws Exception {
		server = new ThrowawayRedis(dir).start();
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@BeforeEach
	void setUp() throws Exception {
		server.kill();
		server.start();
		RedisSettings settings = server.settings(Duration.ofSeconds(2));
		this.jedis = new JedisPooled(RedisConfiguration.hostAndPort(settings), RedisConfiguration.clientConfig(settings));
		this.guard = new RedisGuard(this.jedis, settings, Clock.systemUTC());
	}

	@AfterEach
	void tearDown() {
		if (this.subscription != null) {
			this.subscription.stop();
		}
		this.jedis.close();
	}

	void record(String channel, String message) {
		this.received.add(channel + "=" + message);
	}

	long publish(String channel, String message) {
		try (Jedis publisher = new Jedis("127.0.0.1", server.port())) {
			return publisher.publish(channel, message);
		}
	}

	@Test
	void deliversMessagesOfItsChannelsOnly() {
		this.subscription = RedisSubscription.toChannels("test-channels", this.guard, this::record, prefix + "a",
				prefix + "b");
		assertThat(this.subscription.isListening()).isFalse();

		this.subscription.start();
		await().atMost(WAIT).until(this.subscription::isListening);
		assertThat(this.subscription.isRunning()).isTrue();
		publish(prefix + "c", "not for us");
		publish(prefix + "a", "one");
		publish(prefix + "b", "two");

		await().atMost(WAIT).until(() -> this.received.size() >= 2);
		assertThat(this.received).containsExactly(prefix + "a=one", prefix + "b=two");
	}

	@Test
	void deliversMessagesOfEveryChannelMatchingAPattern() {
		this.subscription = RedisSubscription.toPattern("test-pattern", this.guard, this::record, prefix + "*");
		this.subscription.start();
		await().atMost(WAIT).until(this.subscription::isListening);

		publish("other:" + UUID.randomUUID(), "not for us");
		publish(prefix + "x", "one");
		publish(prefix + "y", "two");

		await().atMost(WAIT).until(() -> this.received.size() >= 2);
		assertThat(this.received).containsExactly(prefix + "x=one", prefix + "y=two");
	}

	@Test
	void survivesARedisRestart() throws Exception {
		this.subscription = RedisSubscription.toChannels("test-restart", this.guard, this::record, prefix + "a");
		this.subscription.start();
		await().atMost(WAIT).until(this.subscription::isListening);

		server.kill();
		await().atMost(WAIT).until(() -> !this.subscription.isListening());
		assertThat(this.subscription.isRunning()).isTrue();

		server.start();
		await().atMost(WAIT).until(this.subscription::isListening);
		assertThat(publish(prefix + "a", "after the outage")).isEqualTo(1);
		await().atMost(WAIT).until(() -> this.received.contains(prefix + "a=after the outage"));
	}

	@Test
	void startsListeningOnceRedisComesUp() throws Exception {
		server.kill();
		this.subscription = RedisSubscription.toChannels("test-late", this.guard, this::record, prefix + "a");
		this.subscription.start();
		assertThat(this.subscription.isListening()).isFalse();

		server.start();
		await().atMost(WAIT).until(this.subscription::isListening);
		publish(prefix + "a", "hello");
		await().atMost(WAIT).until(() -> this.received.contains(prefix + "a=hello"));
	}

	@Test
	void stopEndsTheSubscription() {
		this.subscription = RedisSubscription.toChannels("test-stop", this.guard, this::record, prefix + "a");
		this.subscription.start();
		await().atMost(WAIT).until(this.subscription::isListening);
		assertThat(publish(prefix + "a", "before")).isEqualTo(1);

		this.subscription.stop();

		assertThat(this.subscription.isRunning()).isFalse();
		await().atMost(WAIT).until(() -> publish(prefix + "a", "after") == 0);
		await().atMost(WAIT).until(() -> !this.subscription.isListening());
		assertThat(publish(prefix + "a", "later")).isZero();
		assertThat(this.received).doesNotContain(prefix + "a=later");
	}

}
