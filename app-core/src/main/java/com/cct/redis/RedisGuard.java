package com.cct.redis;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * Every Redis call goes through here. Redis is a cache and a signal bus, never the source of truth,
 * so a failure is logged once, calls are skipped for a short while (no request pays a timeout per
 * call during an outage), and the first call after that probes whether Redis is back.
 */
@Component
public class RedisGuard {

	private static final Logger log = LoggerFactory.getLogger(RedisGuard.class);

	private final JedisPooled jedis;

	private final RedisSettings settings;

	private final long retryAfterMillis;

	private final AtomicLong downUntil = new AtomicLong();

	private final Clock clock;

	public RedisGuard(JedisPooled jedis, RedisSettings settings, Clock clock) {
		this.clock = clock;
		this.jedis = jedis;
		this.settings = settings;
		this.retryAfterMillis = settings.retryAfter().toMillis();
	}

	public <T> Optional<T> call(Function<JedisPooled, T> action) {
		long now = this.clock.millis();
		long until = this.downUntil.get();
		if (now < until) {
			return Optional.empty();
		}
		try {
			T result = action.apply(this.jedis);
			if (until != 0 && this.downUntil.compareAndSet(until, 0)) {
				log.info("Redis is reachable again");
			}
			return Optional.ofNullable(result);
		}
		catch (RuntimeException ex) {
			// any Redis trouble (down, pool closed at shutdown, a confused connection) degrades to "nothing":
			// Redis must never fail a request or a conversion
			if (this.downUntil.getAndSet(now + this.retryAfterMillis) == 0) {
				log.warn("Redis unavailable, serving from PostgreSQL until it is back: {}", ex.getMessage());
			}
			return Optional.empty();
		}
	}

	public void run(Consumer<JedisPooled> action) {
		call(jedis -> {
			action.accept(jedis);
			return Boolean.TRUE;
		});
	}

	/**
	 * A connection of its own, outside the pool: a subscription holds its connection for as long as
	 * it listens, and a connection that ever subscribed must never go back to the pool (its late
	 * replies would be read by the next borrower).
	 */
	public Jedis dedicatedConnection() {
		return new Jedis(RedisConfiguration.hostAndPort(this.settings), RedisConfiguration.clientConfig(this.settings));
	}

}
