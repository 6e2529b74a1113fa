package com.cct.redis;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cct.system.Threads;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A Redis subscription that survives Redis: it runs on its own thread, and when the connection
 * drops it subscribes again every second until Redis is back, logging the loss and the recovery
 * once each. Messages go to a handler as (channel, message).
 */
public final class RedisSubscription {

	private static final Logger log = LoggerFactory.getLogger(RedisSubscription.class);

	private final String name;

	private final RedisGuard redis;

	private final List<String> channels;

	private final boolean patterns;

	private final BiConsumer<String, String> handler;

	private final ScheduledExecutorService thread;

	private volatile JedisPubSub current;

	private volatile Jedis connection;

	private volatile boolean running;

	private volatile boolean lost;

	private volatile boolean listening;

	private RedisSubscription(String name, RedisGuard redis, List<String> channels, boolean patterns,
			BiConsumer<String, String> handler) {
		this.name = name;
		this.redis = redis;
		this.channels = channels;
		this.patterns = patterns;
		this.handler = handler;
		this.thread = Threads.scheduler(name);
	}

	public static RedisSubscription toChannels(String name, RedisGuard redis, BiConsumer<String, String> handler,
			String... channels) {
		return new RedisSubscription(name, redis, List.of(channels), false, handler);
	}

	public static RedisSubscription toPattern(String name, RedisGuard redis, BiConsumer<String, String> handler,
			String pattern) {
		return new RedisSubscription(name, redis, List.of(pattern), true, handler);
	}

	public void start() {
		this.running = true;
		this.thread.execute(this::subscribe);
	}

	private void subscribe() {
		JedisPubSub pubSub = new JedisPubSub() {
			@Override
			public void onMessage(String channel, String message) {
				RedisSubscription.this.handler.accept(channel, message);
			}

			@Override
			public void onPMessage(String pattern, String channel, String message) {
				RedisSubscription.this.handler.accept(channel, message);
			}

			@Override
			public void onSubscribe(String channel, int count) {
				recovered();
			}

			@Override
			public void onPSubscribe(String pattern, int count) {
				recovered();
			}
		};
		this.current = pubSub;
		try (Jedis connection = this.redis.dedicatedConnection()) {
			this.connection = connection;
			String[] names = this.channels.toArray(String[]::new);
			if (this.patterns) {
				connection.psubscribe(pubSub, names);
			}
			else {
				connection.subscribe(pubSub, names);
			}
		}
		catch (RuntimeException ex) {
			if (!this.lost) {
				log.warn("{} lost Redis, subscribing again every second: {}", this.name, ex.getMessage());
				this.lost = true;
			}
		}
		this.listening = false;
		if (this.running) {
			this.thread.schedule(this::subscribe, 1, TimeUnit.SECONDS);
		}
	}

	private void recovered() {
		this.listening = true;
		if (this.lost) {
			log.info("{} subscribed to Redis again", this.name);
			this.lost = false;
		}
	}

	public void stop() {
		this.running = false;
		JedisPubSub pubSub = this.current;
		if (pubSub != null && pubSub.isSubscribed()) {
			try {
				if (this.patterns) {
					pubSub.punsubscribe();
				}
				else {
					pubSub.unsubscribe();
				}
			}
			catch (RuntimeException ex) {
				// the connection is gone already
			}
		}
		Jedis held = this.connection;
		if (held != null) {
			try {
				held.close();
			}
			catch (RuntimeException ex) {
				// closing a dead connection
			}
		}
		this.thread.shutdownNow();
	}

	/** Whether messages arrive right now: subscribed, and the connection has not dropped since. */
	public boolean isListening() {
		return this.listening;
	}

	public boolean isRunning() {
		return this.running;
	}

}
