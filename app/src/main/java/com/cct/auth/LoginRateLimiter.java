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
 * Slows password guessing without letting anyone lock an owner out. Failures are counted per pair
 * (user name, client address) and per address: a pair past its limit waits for its window to close,
 * and so does an address that failed on many names, but nobody else does. A name that fails very
 * often from everywhere (a botnet) passes its own ceiling, after which each address gets one try at
 * it per window; an address that has not failed on the name, such as the owner's, still gets in.
 * <p>
 * An attempt is counted before the password is checked, so a blocked caller costs no bcrypt time and
 * a burst of parallel guesses cannot slip past the count; a right password takes its attempt back.
 * The counters live in Redis, shared by every web process (one script checks and counts, so racing
 * requests are counted one by one); while Redis is away each process counts in memory, so the limits
 * still hold per process rather than not at all. A window opens with the first failure.
 */
@Component
class LoginRateLimiter {

	private static final String PREFIX = "cct:login-limit:";

	/** KEYS: pair, address, user. ARGV: window (ms), per pair, per address, per user. 0, or the wait (ms). */
	private static final String ATTEMPT = """
			local pair = tonumber(redis.call('GET', KEYS[1]) or '0')
			local address = tonumber(redis.call('GET', KEYS[2]) or '0')
			local user = tonumber(redis.call('GET', KEYS[3]) or '0')
			local perPair = tonumber(ARGV[2])
			if user >= tonumber(ARGV[4]) then perPair = 1 end
			local wait = 0
			if pair >= perPair then wait = math.max(wait, redis.call('PTTL', KEYS[1]), 1) end
			if address >= tonumber(ARGV[3]) then wait = math.max(wait, redis.call('PTTL', KEYS[2]), 1) end
			if wait > 0 then return wait end
			for i = 1, 3 do
			  if redis.call('INCR', KEYS[i]) == 1 or redis.call('PTTL', KEYS[i]) < 0 then
			    redis.call('PEXPIRE', KEYS[i], ARGV[1])
			  end
			end
			return 0
			""";

	/** The right password: the pair starts afresh, the address and the name take the attempt back. */
	private static final String SUCCEEDED = """
			redis.call('DEL', KEYS[1])
			for i = 2, 3 do
			  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
			end
			return 0
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

	/** Counts one attempt; throws a 429 problem with {@code Retry-After} when this pair or address must wait. */
	void attempt(String username, String clientAddress) {
		List<String> keys = keys(username, clientAddress);
		List<String> args = List.of(Long.toString(this.settings.window().toMillis()),
				Integer.toString(this.settings.perUserAndIp()), Integer.toString(this.settings.perIp()),
				Integer.toString(this.settings.perUser()));
		long waitMillis = this.redis.call(jedis -> (Long) jedis.eval(ATTEMPT, keys, args))
			.orElseGet(() -> attemptLocally(keys));
		if (waitMillis > 0) {
			throw tooMany(Math.max(1, (waitMillis + 999) / 1000));
		}
	}

	/** A right password: the pair's failures are forgotten, and this attempt was none. */
	void succeeded(String username, String clientAddress) {
		List<String> keys = keys(username, clientAddress);
		succeededLocally(keys);
		this.redis.run(jedis -> jedis.eval(SUCCEEDED, keys, List.of()));
	}

	private long attemptLocally(List<String> keys) {
		synchronized (this.local) {
			long now = this.clock.millis();
			if (this.local.size() > 10_000) {
				// forget closed windows, so the fallback cannot grow without bound
				this.local.values().removeIf(counter -> counter.endsAt() <= now);
			}
			Counter pair = current(keys.get(0), now);
			Counter address = current(keys.get(1), now);
			int perPair = current(keys.get(2), now).count() >= this.settings.perUser() ? 1 : this.settings.perUserAndIp();
			long wait = 0;
			if (pair.count() >= perPair) {
				wait = Math.max(1, pair.endsAt() - now);
			}
			if (address.count() >= this.settings.perIp()) {
				wait = Math.max(wait, Math.max(1, address.endsAt() - now));
			}
			if (wait > 0) {
				return wait;
			}
			long window = this.settings.window().toMillis();
			keys.forEach(key -> this.local.compute(key, (k, counter) -> (counter == null || counter.endsAt() <= now)
					? new Counter(1, now + window) : new Counter(counter.count() + 1, counter.endsAt())));
			return 0;
		}
	}

	private void succeededLocally(List<String> keys) {
		synchronized (this.local) {
			this.local.remove(keys.get(0));
			keys.subList(1, 3).forEach(key -> this.local.computeIfPresent(key,
					(k, counter) -> counter.count() > 1 ? new Counter(counter.count() - 1, counter.endsAt()) : null));
		}
	}

	private Counter current(String key, long now) {
		Counter counter = this.local.get(key);
		return (counter == null || counter.endsAt() <= now) ? new Counter(0, now) : counter;
	}

	/** User names are matched ignoring case at login, so the counters are too. Addresses hold no '|'. */
	private static List<String> keys(String username, String clientAddress) {
		String user = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
		return List.of(PREFIX + "pair:" + user + "|" + clientAddress, PREFIX + "ip:" + clientAddress,
				PREFIX + "user:" + user);
	}

	private static ErrorResponseException tooMany(long retryAfterSeconds) {
		ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
				"Too many login attempts", "Too many login attempts. Try again in " + retryAfterSeconds + " seconds.");
		problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		return problem;
	}

	/** The in-memory fallback's count for one key and when its window closes. */
	private record Counter(long count, long endsAt) {
	}

	/**
	 * @param perUserAndIp failed logins for one name from one address per window; then that pair waits
	 * @param perIp failed logins from one address over all names per window; then that address waits
	 * @param perUser failed logins for one name from all addresses per window; past it each address
	 * gets one try at the name per window (an address that has not failed on it always gets in)
	 * @param window the length of a counting window, opened by the first failure
	 */
	@ConfigurationProperties("cct.login-limit")
	record Settings(@DefaultValue("10") int perUserAndIp, @DefaultValue("300") int perIp,
			@DefaultValue("100") int perUser, @DefaultValue("1m") Duration window) {
	}

}
