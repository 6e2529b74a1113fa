package com.cct.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

public final class Tasks {

	private static final Set<String> FINAL = Set.of("processed", "failed", "cancelled");

	private Tasks() {
	}

	/** Polls until the task ends and returns it as it ended. */
	public static JsonNode awaitEnd(Api api, String token, String id, Duration within) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		await("task " + id + " ends").atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
			last.set(api.task(token, id));
			return FINAL.contains(last.get().get("status").asText());
		});
		return last.get();
	}

	public static JsonNode awaitStatus(Api api, String token, String id, String status, Duration within) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		await("task " + id + " is " + status).atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
			last.set(api.task(token, id));
			return status.equals(last.get().get("status").asText());
		});
		return last.get();
	}

}
