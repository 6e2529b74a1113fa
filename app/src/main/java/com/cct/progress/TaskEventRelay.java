package com.cct.progress;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.cct.status.RedisGuard;
import com.cct.status.RedisSubscription;
import com.cct.status.TaskEvent;
import com.cct.status.TaskStatusCache;

/**
 * One Redis subscription per web process, fanned out to the event streams open on it. When Redis
 * goes away the subscription is re-established every second; meanwhile the streams' own database
 * polls keep them moving.
 */
@Component
public class TaskEventRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TaskEventRelay.class);

	private final TaskStatusCache cache;

	private final Map<UUID, Set<Consumer<TaskEvent>>> listeners = new ConcurrentHashMap<>();

	private final RedisSubscription subscription;

	TaskEventRelay(RedisGuard redis, TaskStatusCache cache) {
		this.cache = cache;
		this.subscription = RedisSubscription.toPattern("task-event-relay", redis, (channel, message) -> dispatch(message),
				TaskStatusCache.EVENT_PATTERN);
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
		this.subscription.start();
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
		this.subscription.stop();
	}

	@Override
	public boolean isRunning() {
		return this.subscription.isRunning();
	}

}
