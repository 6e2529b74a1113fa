package com.cct.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import com.cct.redis.RedisGuard;
import com.cct.web.Problems;

/**
 * Caps sign-ups per client address in fixed windows, so nobody mass-creates accounts or mails
 * strangers through the sign-up form. Counted in Redis like the login limit, in memory per process
 * while Redis is away; counted before anything else, so a refused sign-up costs no bcrypt time.
 */
@Component
class SignupRateLimiter {

	private static final String PREFIX = "cct:signup-limit:";

	/** INCR and PEXPIRE in one step, so a counter can never be left without its expiry. */
	private static final String COUNT = """
			local n = redis.call('INCR', KEYS[1])
			local ttl = redis.call('PTTL', KEYS[1])
			if n == 1 or ttl < 0 then
			  redis.call('PEXPIRE', KEYS[1], ARGV[1])
			  ttl = tonumber(ARGV[1])
			end
			return {n, ttl}
			""";

	private final RedisGuard redis;

	private final Settings settings;

	private final Clock clock;

	private final Map<String, long[]> local = new ConcurrentHashMap<>();

	SignupRateLimiter(RedisGuard redis, Settings settings, Clock clock) {
		this.redis = redis;
		this.settings = settings;
		this.clock = clock;
	}

	/** Counts one sign-up; throws a 429 problem with {@code Retry-After} past the limit. */
	void attempt(String clientAddress) {
		String key = PREFIX + clientAddress;
		long window = this.settings.window().toMillis();
		long[] counted = this.redis.call(jedis -> {
			List<?> reply = (List<?>) jedis.eval(COUNT, List.of(key), List.of(Long.toString(window)));
			return new long[] { (Long) reply.get(0), (Long) reply.get(1) };
		}).orElseGet(() -> countLocally(key, window));
		if (counted[0] > this.settings.perIp()) {
			long seconds = Math.max(1, (counted[1] + 999) / 1000);
			ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-signups",
					"Too many sign-ups", "Too many sign-ups from this address. Try again in " + seconds + " seconds.");
			problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			throw problem;
		}
	}

	/** The count so far and the milliseconds until the window closes. */
	private long[] countLocally(String key, long window) {
		long now = this.clock.millis();
		if (this.local.size() > 10_000) {
			this.local.values().removeIf(counter -> counter[1] <= now);
		}
		long[] counter = this.local.compute(key, (k, c) -> (c == null || c[1] <= now) ? new long[] { 1, now + window }
				: new long[] { c[0] + 1, c[1] });
		return new long[] { counter[0], counter[1] - now };
	}

	/**
	 * @param perIp sign-ups allowed from one client address per window
	 * @param window the length of a counting window, opened by the first sign-up
	 */
	@ConfigurationProperties("cct.signup-limit")
	record Settings(@DefaultValue("20") int perIp, @DefaultValue("1h") Duration window) {
	}

}
