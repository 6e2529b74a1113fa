package com.cct.task;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;

import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSettings;
import com.cct.system.Threads;

import jakarta.annotation.PreDestroy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.params.SetParams;

/**
 * Live task snapshots in Redis and the per-task event channel. Readers fall back to PostgreSQL when
 * this returns nothing, so losing Redis loses only freshness of progress, never a task.
 * <p>
 * A snapshot this process could not update (Redis away, or skipped by {@link RedisGuard} for a
 * moment after a failure) would otherwise stay as it was, for a day, while PostgreSQL moved on: a
 * task shown as processing long after it ended. Such snapshots are deleted as soon as Redis answers
 * again (a repair scheduled only while there are some), so readers go to PostgreSQL for them.
 */
@Component
public class TaskStatusCache {

	private static final String SNAPSHOT = "cct:task:";

	private static final String EVENTS = "cct:events:";

	/** Matches every task's event channel. */
	public static final String EVENT_PATTERN = EVENTS + "*";

	private final RedisGuard redis;

	private final ObjectMapper json;

	/** Snapshots this process remembers as stale at most; past it they live out their TTL. */
	static final int MAX_STALE = 100_000;

	private final long ttlSeconds;

	private final long repairAfterMillis;

	private final Set<UUID> stale = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean repairScheduled = new AtomicBoolean();

	private final ScheduledExecutorService repairs = Threads.scheduler("snapshot-repair");

	public TaskStatusCache(RedisGuard redis, ObjectMapper json, RedisSettings settings) {
		this.redis = redis;
		// (seconds.nanos, exact) not ISO text, for times: every status read parses a snapshot
		this.json = json.copy().configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, true);
		this.ttlSeconds = settings.snapshotTtl().toSeconds();
		// just past the guard's pause, when the next call probes Redis again
		this.repairAfterMillis = settings.retryAfter().toMillis() + 100;
	}

	public static String eventChannel(UUID taskId) {
		return EVENTS + taskId;
	}

	public Optional<Task> get(UUID taskId) {
		return this.redis.call(jedis -> jedis.get(SNAPSHOT + taskId)).map(text -> read(text, Task.class));
	}

	public void put(Task task) {
		String text = write(task);
		written(task.id(),
				this.redis.call(jedis -> jedis.set(SNAPSHOT + task.id(), text, SetParams.setParams().ex(this.ttlSeconds))));
	}

	public void evict(UUID taskId) {
		written(taskId, this.redis.call(jedis -> jedis.del(SNAPSHOT + taskId)));
	}

	/**
	 * Stores the snapshot and tells whoever follows the task (SSE streams) what changed. The event
	 * ({@link TaskEvent} as JSON) carries the snapshot's own text, so the task is serialised once, and
	 * both commands go to Redis in one round trip (a worker publishes every few hundred milliseconds
	 * per conversion).
	 */
	public void publish(String type, Task task) {
		String snapshot = write(task);
		String event = "{\"type\":" + write(type) + ",\"task\":" + snapshot + "}";
		written(task.id(), this.redis.call(jedis -> {
			try (PipelineBase pipeline = jedis.pipelined()) {
				pipeline.set(SNAPSHOT + task.id(), snapshot, SetParams.setParams().ex(this.ttlSeconds));
				pipeline.publish(eventChannel(task.id()), event);
				pipeline.sync();
			}
			return Boolean.TRUE;
		}));
	}

	/** Remembers a snapshot left stale when Redis did not take the write, and repairs it later. */
	private void written(UUID taskId, Optional<?> answer) {
		if (answer.isPresent()) {
			if (!this.stale.isEmpty()) {
				this.stale.remove(taskId);
			}
			return;
		}
		if (this.stale.size() < MAX_STALE) {
			this.stale.add(taskId);
		}
		scheduleRepair();
	}

	private void scheduleRepair() {
		if (this.repairScheduled.compareAndSet(false, true)) {
			this.repairs.schedule(this::repair, this.repairAfterMillis, TimeUnit.MILLISECONDS);
		}
	}

	/** Deletes the stale snapshots in one call; tries again later while Redis does not answer. */
	void repair() {
		this.repairScheduled.set(false);
		List<UUID> ids = List.copyOf(this.stale);
		if (ids.isEmpty()) {
			return;
		}
		String[] keys = ids.stream().map(id -> SNAPSHOT + id).toArray(String[]::new);
		if (this.redis.call(jedis -> jedis.del(keys)).isPresent()) {
			ids.forEach(this.stale::remove);
		}
		if (!this.stale.isEmpty()) {
			scheduleRepair();
		}
	}

	/** Snapshots waiting for their repair (for tests). */
	int staleSnapshots() {
		return this.stale.size();
	}

	@PreDestroy
	void stopRepairs() {
		this.repairs.shutdownNow();
	}

	public TaskEvent readEvent(String text) {
		return read(text, TaskEvent.class);
	}

	private String write(Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private <T> T read(String text, Class<T> type) {
		try {
			return this.json.readValue(text, type);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
