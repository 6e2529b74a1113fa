package com.cct.progress;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.cct.status.RedisGuard;
import com.cct.status.TaskEvent;
import com.cct.status.TaskStatusCache;

import redis.clients.jedis.JedisPubSub;

/**
 * One Redis subscription per web process, fanned out to the event streams open on it. When Redis
 * goes away the subscription is re-established every second; meanwhile the streams' own database
 * polls keep them moving.
 */
@Component
public class TaskEventRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TaskEventRelay.class);

	private static final String PATTERN = TaskStatusCache.eventChannel(new UUID(0, 0)).replace(new UUID(0, 0).toString(), "*");

	private final RedisGuard redis;

	private final TaskStatusCache cache;

	private final Map<UUID, Set<Consumer<TaskEvent>>> listeners = new ConcurrentHashMap<>();

	private final ScheduledExecutorService subscriber = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "task-event-relay");
		thread.setDaemon(true);
		return thread;
	});

	private volatile JedisPubSub subscription;

	private volatile boolean running;

	private volatile boolean warned;

	TaskEventRelay(RedisGuard redis, TaskStatusCache cache) {
		this.redis = redis;
		this.cache = cache;
	}

	/** Registers a listener for one task's events; run the returned action to remove it. */
	public Runnable listen(UUID taskId, Consumer<TaskEvent> listener) {
		this.listeners.computeIfAbsent(taskId, id -> new CopyOnWriteArraySet<>()).add(listener);
		return () -> this.listeners.computeIfPresent(taskId, (id, set) -> {
			set.remove(listener);
			return set.isEmpty() ? null : set;
		});
	}

	@Override
	public void start() {
		this.running = true;
		this.subscriber.execute(this::subscribe);
	}

	private void subscribe() {
		JedisPubSub pubSub = new JedisPubSub() {
			@Override
			public void onPMessage(String pattern, String channel, String message) {
				dispatch(message);
			}

			@Override
			public void onPSubscribe(String pattern, int subscribedChannels) {
				if (TaskEventRelay.this.warned) {
					log.info("Task event relay subscribed to Redis again");
					TaskEventRelay.this.warned = false;
				}
			}
		};
		this.subscription = pubSub;
		try {
			this.redis.client().psubscribe(pubSub, PATTERN);
		}
		catch (RuntimeException ex) {
			if (!this.warned) {
				log.warn("Task event relay lost Redis, retrying every second: {}", ex.getMessage());
				this.warned = true;
			}
		}
		if (this.running) {
			this.subscriber.schedule(this::subscribe, 1, TimeUnit.SECONDS);
		}
	}

	private void dispatch(String message) {
		try {
			TaskEvent event = this.cache.readEvent(message);
			Set<Consumer<TaskEvent>> targets = this.listeners.get(event.task().id());
			if (targets != null) {
				targets.forEach(listener -> listener.accept(event));
			}
		}
		catch (RuntimeException ex) {
			log.debug("Ignoring an unreadable task event: {}", ex.getMessage());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		JedisPubSub pubSub = this.subscription;
		if (pubSub != null && pubSub.isSubscribed()) {
			try {
				pubSub.punsubscribe();
			}
			catch (RuntimeException ex) {
				// the connection is gone already
			}
		}
		this.subscriber.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
