package com.cct.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a task's Server-Sent Events stream to its end, as a client with a bearer token would. */
public final class EventStream {

	public record Event(String id, String name, JsonNode data) {
	}

	private EventStream() {
	}

	public static List<Event> readToEnd(String base, String token, String taskId, Duration within)
			throws IOException, InterruptedException {
		return readToEnd(base, token, taskId, within, event -> {
		});
	}

	/** As above, handing each event to {@code each} as it arrives (on the reading thread). */
	public static List<Event> readToEnd(String base, String token, String taskId, Duration within,
			Consumer<Event> each) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + taskId + "/events"))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "text/event-stream")
			.timeout(within)
			.build();
		HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() != 200) {
			throw new AssertionError("events: " + response.statusCode());
		}
		List<Event> events = new ArrayList<>();
		ObjectMapper json = new ObjectMapper();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String id = null;
			String name = "message";
			StringBuilder data = new StringBuilder();
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isEmpty()) {
					if (data.length() > 0) {
						Event event = new Event(id, name, json.readTree(data.toString()));
						events.add(event);
						each.accept(event);
					}
					id = null;
					name = "message";
					data.setLength(0);
				}
				else if (line.startsWith("id:")) {
					id = line.substring(3).strip();
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring(5).strip());
				}
			}
		}
		return events;
	}

}
