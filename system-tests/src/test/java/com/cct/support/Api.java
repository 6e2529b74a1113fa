package com.cct.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small HTTP client for the API, as a script would use it. */
public final class Api {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	/** Makes a new user's address verified (mail goes only to verified addresses); may do nothing. */
	private final Consumer<String> verifyAddress;

	public Api(String base) {
		this(base, email -> {
		});
	}

	public Api(String base, Consumer<String> verifyAddress) {
		this.base = base;
		this.verifyAddress = verifyAddress;
	}

	public String base() {
		return this.base;
	}

	public record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {

		public JsonNode json() {
			try {
				return JSON.readTree(this.bytes);
			}
			catch (IOException ex) {
				throw new AssertionError("not JSON (" + this.status + "): " + text(), ex);
			}
		}

		public String text() {
			return new String(this.bytes, StandardCharsets.UTF_8);
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

	/** A user with a fresh unique name, signed up (address verified, when this client can) and logged in. */
	public record User(String username, String email, String password, String token) {
	}

	public User newUser() {
		String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String password = "pw-" + UUID.randomUUID();
		Response signup = signup(name, name + "@example.test", password, password);
		if (signup.status() != 201) {
			throw new AssertionError("signup failed: " + signup.status() + " " + signup.text());
		}
		this.verifyAddress.accept(name + "@example.test");
		return new User(name, name + "@example.test", password, login(name, password).json().get("token").asText());
	}

	public Response signup(String username, String email, String password1, String password2) {
		return postJson("/api/auth/signup", Map.of("username", username, "email", email, "password1", password1,
				"password2", password2), null);
	}

	public Response login(String username, String password) {
		return postJson("/api/auth/login", Map.of("username", username, "password", password), null);
	}

	public Response get(String path, String token) {
		return send(request(path, token).GET().build());
	}

	public Response get(String path, String token, Map<String, String> headers) {
		HttpRequest.Builder builder = request(path, token).GET();
		headers.forEach(builder::header);
		return send(builder.build());
	}

	public Response delete(String path, String token) {
		return send(request(path, token).DELETE().build());
	}

	public Response post(String path, String token) {
		return send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	public Response postJson(String path, Object body, String token) {
		try {
			return send(request(path, token).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
				.build());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Uploads a file under the part name {@code fileName}, the course contract. */
	public Response upload(String token, Path file, String newFormat) {
		return upload(token, "fileName", file, file.getFileName().toString(), fields("newFormat", newFormat), Map.of());
	}

	public Response upload(String token, String part, Path file, String fileName, Map<String, String> fields,
			Map<String, String> headers) {
		try {
			String boundary = "----cct" + UUID.randomUUID();
			List<byte[]> parts = new ArrayList<>();
			for (Map.Entry<String, String> field : fields.entrySet()) {
				parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
						+ "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			if (file != null) {
				parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\""
						+ fileName.replace("\"", "%22") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
					.getBytes(StandardCharsets.UTF_8));
				parts.add(Files.readAllBytes(file));
				parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
			}
			parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
			HttpRequest.Builder builder = request("/api/tasks", token)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofByteArrays(parts));
			headers.forEach(builder::header);
			return send(builder.build());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Map<String, String> fields(String... keyValues) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put(keyValues[i], keyValues[i + 1]);
		}
		return map;
	}

	public JsonNode task(String token, String id) {
		Response response = get("/api/tasks/" + id, token);
		if (response.status() != 200) {
			throw new AssertionError("GET task " + id + ": " + response.status() + " " + response.text());
		}
		return response.json();
	}

	private HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(60));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	public Response send(HttpRequest request) {
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
