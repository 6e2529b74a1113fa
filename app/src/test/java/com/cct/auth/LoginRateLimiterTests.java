package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.IntStream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSettings;

import redis.clients.jedis.JedisPooled;

/**
 * The limiter against the Redis on 127.0.0.1:6379 (what make test runs), and against an address
 * where nothing listens, to show the in-memory fallback. Names and addresses are fresh per test, so
 * runs never share counters.
 */
class LoginRateLimiterTests {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final MutableClock clock = new MutableClock();

	private final String user = "user-" + UUID.randomUUID();

	private final String address = "2001:db8::" + Integer.toHexString((int) (Math.random() * 0xffff));

	private JedisPooled jedis;

	@AfterEach
	void close() {
		if (this.jedis != null) {
			this.jedis.close();
		}
	}

	@Test
	void refusesTheAttemptAfterThePerUserLimitWithRetryAfter() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 3, 1000, MINUTE);
		IntStream.range(0, 3).forEach(i -> limiter.attempt(this.user, "192.0.2." + i));

		ErrorResponseException refused = refused(() -> limiter.attempt(this.user.toUpperCase(), "192.0.2.99"));

		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
		assertThat(refused.getBody().getType()).hasToString("urn:cct:problem:too-many-logins");
		assertThatNoException().isThrownBy(() -> limiter.attempt("other-" + this.user, this.address));
	}

	@Test
	void refusesAnAddressThatTriesManyNames() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 1000, 5, MINUTE);
		IntStream.range(0, 5).forEach(i -> limiter.attempt(this.user + i, this.address));

		ErrorResponseException refused = refused(() -> limiter.attempt(this.user + "-new", this.address));

		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user + "-new", this.address + "1"));
	}

	@Test
	void aSuccessfulLoginClearsTheUserCountButNotTheAddressCount() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 2, 4, MINUTE);
		limiter.attempt(this.user, this.address);
		limiter.attempt(this.user, this.address);
		limiter.succeeded(this.user);
		limiter.attempt(this.user, this.address);
		limiter.attempt(this.user, this.address);

		assertThat(refused(() -> limiter.attempt("x" + this.user, this.address)).getStatusCode().value())
			.isEqualTo(429);
	}

	@Test
	void opensANewWindowWhenTheOldOneCloses() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 1, 1000, Duration.ofMillis(500));
		limiter.attempt(this.user, this.address);
		refused(() -> limiter.attempt(this.user, this.address));

		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, this.address)));
	}

	@Test
	void stillLimitsPerUserAndPerAddressInMemoryWhileRedisIsUnreachable() throws Exception {
		LoginRateLimiter limiter = limiter(redisAt(unusedPort()), 3, 4, MINUTE);
		IntStream.range(0, 3).forEach(i -> limiter.attempt(this.user, this.address));
		this.clock.advance(Duration.ofSeconds(45));

		ErrorResponseException refused = refused(() -> limiter.attempt(this.user, this.address));
		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("15");
		limiter.attempt("other-" + this.user, "198.51.100.7");
		refused(() -> limiter.attempt("third-" + this.user, this.address));

		this.clock.advance(Duration.ofSeconds(15));
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, this.address));
	}

	private LoginRateLimiter limiter(RedisGuard redis, int perUser, int perIp, Duration window) {
		return new LoginRateLimiter(redis, new LoginRateLimiter.Settings(perUser, perIp, window), this.clock);
	}

	private RedisGuard redisAt(int port) {
		this.jedis = new JedisPooled("127.0.0.1", port);
		return new RedisGuard(this.jedis, new RedisSettings(URI.create("redis://127.0.0.1:" + port),
				Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofHours(1)), Clock.systemUTC());
	}

	private static ErrorResponseException refused(ThrowingCallable attempt) {
		ErrorResponseException refused = catchThrowableOfType(ErrorResponseException.class, attempt);
		assertThat(refused).as("the attempt was refused").isNotNull();
		return refused;
	}

	private static int unusedPort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.now();

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
