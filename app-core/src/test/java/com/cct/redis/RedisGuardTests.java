package com.cct.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;

class RedisGuardTests {

	static final Duration RETRY_AFTER = Duration.ofSeconds(2);

	@TempDir
	static Path dir;

	static ThrowawayRedis server;

	final MutableClock clock = new MutableClock();

	JedisPooled jedis;

	RedisGuard guard;

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
		RedisSettings settings = server.settings(RETRY_AFTER);
		this.jedis = new JedisPooled(RedisConfiguration.hostAndPort(settings), RedisConfiguration.clientConfig(settings));
		this.guard = new RedisGuard(this.jedis, settings, this.clock);
	}

	@AfterEach
	void tearDown() {
		this.jedis.close();
	}

	@Test
	void passesCallsThroughWhileRedisIsUp() {
		String key = "guard:" + UUID.randomUUID();
		this.guard.run(redis -> redis.set(key, "value"));
		assertThat(this.guard.call(redis -> redis.get(key))).contains("value");
		assertThat(this.guard.call(redis -> redis.get(key + ":missing"))).isEmpty();
	}

	@Test
	void degradesToNothingWhenRedisDiesAndStopsTryingForAWhile() throws Exception {
		assertThat(this.guard.call(redis -> redis.ping())).contains("PONG");
		server.kill();
		AtomicInteger attempts = new AtomicInteger();

		assertThat(this.guard.call(redis -> {
			attempts.incrementAndGet();
			return redis.ping();
		})).isEmpty();
		assertThat(attempts).hasValue(1);

		this.clock.advance(RETRY_AFTER.minusMillis(1));
		assertThat(this.guard.call(redis -> {
			attempts.incrementAndGet();
			return redis.ping();
		})).isEmpty();
		assertThatCode(() -> this.guard.run(redis -> attempts.incrementAndGet())).doesNotThrowAnyException();
		assertThat(attempts).as("no call reaches Redis within retryAfter").hasValue(1);

		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.guard.call(redis -> {
			attempts.incrementAndGet();
			return redis.ping();
		})).as("the probe after retryAfter fails too: Redis is still away").isEmpty();
		assertThat(attempts).hasValue(2);
	}

	@Test
	void worksAgainOnceRedisIsBack() throws Exception {
		server.kill();
		assertThat(this.guard.call(redis -> redis.ping())).isEmpty();
		server.start();

		assertThat(this.guard.call(redis -> redis.ping())).as("still resting").isEmpty();
		this.clock.advance(RETRY_AFTER);
		assertThat(this.guard.call(redis -> redis.ping())).contains("PONG");
		assertThat(this.guard.call(redis -> redis.ping())).contains("PONG");
	}

	@Test
	void anyFailureOfACallDegradesToNothing() {
		assertThat(this.guard.call(redis -> {
			throw new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value");
		})).isEmpty();
		this.clock.advance(RETRY_AFTER);
		assertThat(this.guard.call(redis -> redis.ping())).contains("PONG");
	}

	@Test
	void dedicatedConnectionsReachTheConfiguredServer() {
		String key = "guard:" + UUID.randomUUID();
		this.jedis.set(key, "here");
		try (Jedis connection = this.guard.dedicatedConnection()) {
			assertThat(connection.get(key)).isEqualTo("here");
			assertThat(connection.clientGetname()).isEqualTo("cct");
		}
	}

}
