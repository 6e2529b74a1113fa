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
	void refusesTheGuesserPastThePairLimitWithRetryAfterWhileTheOwnerStillGetsIn() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 3, 1000, 1000, MINUTE);
		IntStream.range(0, 3).forEach(i -> limiter.attempt(this.user, this.address));

		ErrorResponseException refused = refused(() -> limiter.attempt(this.user.toUpperCase(), this.address));

		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
		assertThat(refused.getBody().getType()).hasToString("urn:cct:problem:too-many-logins");
		// the owner, from an address of their own, and the guesser on another name, are not held up
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, "192.0.2.10"));
		assertThatNoException().isThrownBy(() -> limiter.attempt("other-" + this.user, this.address));
	}

	@Test
	void refusesAnAddressThatFailsOnManyNames() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 1000, 5, 1000, MINUTE);
		IntStream.range(0, 5).forEach(i -> limiter.attempt(this.user + i, this.address));

		ErrorResponseException refused = refused(() -> limiter.attempt(this.user + "-new", this.address));

		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user + "-new", this.address + "1"));
	}

	@Test
	void aRightPasswordTakesItsAttemptBackAndClearsOnlyItsPair() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 2, 3, 1000, MINUTE);
		limiter.attempt(this.user, this.address);
		limiter.attempt(this.user, this.address);
		limiter.succeeded(this.user, this.address);
		// the pair starts afresh; the address still holds the first failure (3 per address)
		limiter.attempt(this.user, this.address);
		limiter.succeeded(this.user, this.address);
		limiter.attempt(this.user, this.address);
		limiter.attempt("x" + this.user, this.address);

		assertThat(refused(() -> limiter.attempt("y" + this.user, this.address)).getStatusCode().value())
			.isEqualTo(429);
	}

	@Test
	void pastTheCeilingOfANameEveryAddressGetsOneTryAndAFreshOneStillGetsIn() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 5, 1000, 4, MINUTE);
		IntStream.range(0, 4).forEach(i -> limiter.attempt(this.user, "198.51.100." + i));

		// each address that failed on the name is held up now, after one failure instead of five
		refused(() -> limiter.attempt(this.user, "198.51.100.0"));
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, "198.51.100.50"));
		refused(() -> limiter.attempt(this.user, "198.51.100.50"));
		// the owner's right password from an address that never failed
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, this.address));
		limiter.succeeded(this.user, this.address);
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, this.address));
	}

	@Test
	void burstsOfParallelGuessesAreCountedOneByOne() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 5, 1000, 1000, MINUTE);
		long passed = IntStream.range(0, 40).parallel().filter(i -> {
			try {
				limiter.attempt(this.user, this.address);
				return true;
			}
			catch (ErrorResponseException ex) {
				return false;
			}
		}).count();

		assertThat(passed).isEqualTo(5);
	}

	@Test
	void opensANewWindowWhenTheOldOneCloses() {
		LoginRateLimiter limiter = limiter(redisAt(6379), 1, 1000, 1000, Duration.ofMillis(500));
		limiter.attempt(this.user, this.address);
		refused(() -> limiter.attempt(this.user, this.address));

		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, this.address)));
	}

	@Test
	void stillLimitsPerPairPerAddressAndPerNameInMemoryWhileRedisIsUnreachable() throws Exception {
		LoginRateLimiter limiter = limiter(redisAt(unusedPort()), 3, 4, 5, MINUTE);
		IntStream.range(0, 3).forEach(i -> limiter.attempt(this.user, this.address));
		this.clock.advance(Duration.ofSeconds(45));

		ErrorResponseException refused = refused(() -> limiter.attempt(this.user, this.address));
		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("15");
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, "198.51.100.7"));
		limiter.attempt("other-" + this.user, this.address);
		refused(() -> limiter.attempt("third-" + this.user, this.address));
		// the name's fifth failure: past the ceiling, an address that failed once is held up
		limiter.attempt(this.user, "198.51.100.8");
		refused(() -> limiter.attempt(this.user, "198.51.100.8"));
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, "198.51.100.9"));
		limiter.succeeded(this.user, "198.51.100.9");

		this.clock.advance(Duration.ofSeconds(15));
		assertThatNoException().isThrownBy(() -> limiter.attempt(this.user, this.address));
	}

	private LoginRateLimiter limiter(RedisGuard redis, int perUserAndIp, int perIp, int perUser, Duration window) {
		return new LoginRateLimiter(redis, new LoginRateLimiter.Settings(perUserAndIp, perIp, perUser, window),
				this.clock);
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
