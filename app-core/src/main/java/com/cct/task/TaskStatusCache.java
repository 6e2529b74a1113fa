package com.cct.task;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.params.SetParams;

/**
 * Live task snapshots in Redis and the per-task event channel. Readers fall back to PostgreSQL when
 * this returns nothing, so losing Redis loses only freshness of progress, never a task.
 */
@Component
public class TaskStatusCache {

	private static final String SNAPSHOT = "cct:task:";

	private static final String EVENTS = "cct:events:";

	/** Matches every task's event channel. */
	public static final String EVENT_PATTERN = EVENTS + "*";

	private final RedisGuard redis;

	private final ObjectMapper json;

	private final long ttlSeconds;

	public TaskStatusCache(RedisGuard redis, ObjectMapper json, RedisSettings settings) {
		this.redis = redis;
		// (seconds.nanos, exact) not ISO text, for times: every status read parses a snapshot
		this.json = json.copy().configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, true);
		this.ttlSeconds = settings.snapshotTtl().toSeconds();
	}

	public static String eventChannel(UUID taskId) {
		return EVENTS + taskId;
	}

	public Optional<Task> get(UUID taskId) {
		return this.redis.call(jedis -> jedis.get(SNAPSHOT + taskId)).map(text -> read(text, Task.class));
	}

	public void put(Task task) {
		String text = write(task);
		this.redis.run(jedis -> jedis.set(SNAPSHOT + task.id(), text, SetParams.setParams().ex(this.ttlSeconds)));
	}

	public void evict(UUID taskId) {
		this.redis.run(jedis -> jedis.del(SNAPSHOT + taskId));
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
		this.redis.run(jedis -> {
			try (PipelineBase pipeline = jedis.pipelined()) {
				pipeline.set(SNAPSHOT + task.id(), snapshot, SetParams.setParams().ex(this.ttlSeconds));
				pipeline.publish(eventChannel(task.id()), event);
				pipeline.sync();
			}
		});
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
