package com.cct.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * Caps login attempts per user name and per client address in fixed windows, so passwords cannot be
 * guessed at speed. The counters live in Redis, shared by every web process; while Redis is away
 * each process counts in memory, so the limit still holds per process rather than not at all.
 * Attempts are counted before the password is checked: a blocked caller costs no bcrypt time. A
 * window opens with the first attempt (INCR + PEXPIRE), so its length is the same for everyone.
 */
@Component
class LoginRateLimiter {

	private static final String PREFIX = "cct:login-limit:";

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

	private final Map<String, Counter> local = new ConcurrentHashMap<>();

	LoginRateLimiter(RedisGuard redis, Settings settings, Clock clock) {
		this.redis = redis;
		this.settings = settings;
		this.clock = clock;
	}

	/** Counts one attempt; throws a 429 problem with {@code Retry-After} once either limit is passed. */
	void attempt(String username, String clientAddress) {
		Window perAddress = count("ip:" + clientAddress);
		Window perUser = count("user:" + userKey(username));
		boolean userBlocked = perUser.count() > this.settings.perUser();
		boolean addressBlocked = perAddress.count() > this.settings.perIp();
		if (userBlocked || addressBlocked) {
			long waitMillis = Math.max(userBlocked ? perUser.remainingMillis() : 0,
					addressBlocked ? perAddress.remainingMillis() : 0);
			throw tooMany(Math.max(1, (waitMillis + 999) / 1000));
		}
	}

	/** A right password ends the guessing on that name; the address keeps its count. */
	void succeeded(String username) {
		String key = "user:" + userKey(username);
		this.local.remove(key);
		this.redis.run(jedis -> jedis.del(PREFIX + key));
	}

	/** A fixed window that opens with the first attempt and closes {@code window} later. */
	private Window count(String key) {
		long window = this.settings.window().toMillis();
		return this.redis.call(jedis -> {
			List<?> reply = (List<?>) jedis.eval(COUNT, List.of(PREFIX + key), List.of(Long.toString(window)));
			return new Window((Long) reply.get(0), (Long) reply.get(1));
		}).orElseGet(() -> countLocally(key, window));
	}

	private Window countLocally(String key, long window) {
		long now = this.clock.millis();
		if (this.local.size() > 10_000) {
			// forget closed windows, so the fallback cannot grow without bound
			this.local.values().removeIf(w -> w.endsAt() <= now);
		}
		Counter counted = this.local.compute(key, (k, c) -> (c == null || c.endsAt() <= now)
				? new Counter(1, now + window) : new Counter(c.count() + 1, c.endsAt()));
		return new Window(counted.count(), counted.endsAt() - now);
	}

	/** User names are matched ignoring case at login, so the counter is too. */
	private static String userKey(String username) {
		return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
	}

	private static ErrorResponseException tooMany(long retryAfterSeconds) {
		ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
				"Too many login attempts", "Too many login attempts. Try again in " + retryAfterSeconds + " seconds.");
		problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		return problem;
	}

	/** Attempts so far in the current window, and how long until it closes. */
	private record Window(long count, long remainingMillis) {
	}

	/** The in-memory fallback's count for one key. */
	private record Counter(long count, long endsAt) {
	}

	/**
	 * @param perUser attempts per user name per window
	 * @param perIp attempts per client address per window (everyone behind one proxy shares it)
	 * @param window the length of a counting window
	 */
	@ConfigurationProperties("cct.login-limit")
	record Settings(@DefaultValue("10") int perUser, @DefaultValue("300") int perIp,
			@DefaultValue("1m") Duration window) {
	}

}
