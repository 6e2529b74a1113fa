package com.cct.progress;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSubscription;
import com.cct.task.Task;
import com.cct.task.TaskEvent;
import com.cct.task.TaskStatusCache;

/**
 * One Redis subscription per web process, fanned out to the event streams open on it, grouped by
 * task. Its one subscriber thread only queues each event on the streams (never writes to a client),
 * so a stream whose client stopped reading cannot stall the others. When Redis goes away the
 * subscription is re-established every second; meanwhile {@link TaskStreams} reads the followed
 * tasks from PostgreSQL instead.
 */
@Component
class TaskEventRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TaskEventRelay.class);

	private final TaskStatusCache cache;

	private final Map<UUID, Set<TaskStream>> streams = new ConcurrentHashMap<>();

	private final RedisSubscription subscription;

	TaskEventRelay(RedisGuard redis, TaskStatusCache cache) {
		this.cache = cache;
		this.subscription = RedisSubscription.toPattern("task-event-relay", redis, (channel, message) -> dispatch(message),
				TaskStatusCache.EVENT_PATTERN);
	}

	void add(TaskStream stream) {
		this.streams.computeIfAbsent(stream.taskId(), id -> ConcurrentHashMap.newKeySet()).add(stream);
	}

	void remove(TaskStream stream) {
		this.streams.computeIfPresent(stream.taskId(), (id, set) -> {
			set.remove(stream);
			return set.isEmpty() ? null : set;
		});
	}

	/** Whether Redis events arrive right now. */
	boolean isLive() {
		return this.subscription.isListening();
	}

	/** The tasks someone follows: what a database poll must read. */
	Set<UUID> followedTasks() {
		return this.streams.keySet();
	}

	/** Hands an event to every stream following the task. */
	void deliver(UUID taskId, Consumer<TaskStream> event) {
		Set<TaskStream> targets = this.streams.get(taskId);
		if (targets != null) {
			targets.forEach(event);
		}
	}

	void forEachStream(Consumer<TaskStream> action) {
		this.streams.values().forEach(set -> set.forEach(action));
	}

	private void dispatch(String message) {
		try {
			TaskEvent event = this.cache.readEvent(message);
			Task task = event.task();
			deliver(task.id(), stream -> stream.send(event.type(), task));
		}
		catch (RuntimeException ex) {
			log.debug("Ignoring an unreadable task event: {}", ex.getMessage());
		}
	}

	@Override
	public void start() {
		this.subscription.start();
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
