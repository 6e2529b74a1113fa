package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSettings;

import redis.clients.jedis.JedisPooled;

/** Against the Redis on 127.0.0.1:6379, and an address where nothing listens for the fallback. */
class SignupRateLimiterTests {

	private final String address = "2001:db8:5::" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffff);

	private JedisPooled jedis;

	@AfterEach
	void close() {
		if (this.jedis != null) {
			this.jedis.close();
		}
	}

	@Test
	void refusesAnAddressPastItsLimitWithRetryAfterAndLeavesOthersAlone() {
		SignupRateLimiter limiter = limiter(6379);
		IntStream.range(0, 3).forEach(i -> limiter.attempt(this.address));

		ErrorResponseException refused = catchThrowableOfType(ErrorResponseException.class,
				() -> limiter.attempt(this.address));

		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getBody().getType()).hasToString("urn:cct:problem:too-many-signups");
		assertThat(Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(3500L, 3600L);
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.address + "1"));
	}

	@Test
	void stillLimitsInMemoryWhileRedisIsUnreachable() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		SignupRateLimiter limiter = limiter(port);
		IntStream.range(0, 3).forEach(i -> limiter.attempt(this.address));

		assertThat(catchThrowableOfType(ErrorResponseException.class, () -> limiter.attempt(this.address))
			.getStatusCode().value()).isEqualTo(429);
	}

	private SignupRateLimiter limiter(int port) {
		this.jedis = new JedisPooled("127.0.0.1", port);
		RedisGuard redis = new RedisGuard(this.jedis, new RedisSettings(URI.create("redis://127.0.0.1:" + port),
				Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofHours(1)), Clock.systemUTC());
		return new SignupRateLimiter(redis, new SignupRateLimiter.Settings(3, Duration.ofHours(1)), Clock.systemUTC());
	}

}
