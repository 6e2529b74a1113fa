package com.cct.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.StringJoiner;

/** A tus 1.0 client over the JDK's HTTP client, for the tests of {@code /api/uploads}. */
public final class Tus {

	public static final String VERSION = "1.0.0";

	private final Api api;

	public Tus(Api api) {
		this.api = api;
	}

	/** {@code Upload-Metadata} of key/value pairs, the values in base64 as tus has them. */
	public static String metadata(String... keyValues) {
		StringJoiner pairs = new StringJoiner(",");
		for (int i = 0; i < keyValues.length; i += 2) {
			pairs.add(keyValues[i] + " "
					+ Base64.getEncoder().encodeToString(keyValues[i + 1].getBytes(StandardCharsets.UTF_8)));
		}
		return pairs.toString();
	}

	public Api.Response create(String token, long length, String metadata) {
		return this.api.send(request("/api/uploads", token).header("Upload-Length", Long.toString(length))
			.header("Upload-Metadata", metadata)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	/** Creates an upload and returns its id. */
	public String start(String token, long length, String fileName, String newFormat) {
		Api.Response created = create(token, length, metadata("filename", fileName, "newFormat", newFormat));
		if (created.status() != 201) {
			throw new AssertionError("tus creation: " + created.status() + " " + created.text());
		}
		String location = created.header("Location");
		return location.substring(location.lastIndexOf('/') + 1);
	}

	public Api.Response patch(String token, String id, long offset, byte[] bytes) {
		return this.api.send(request("/api/uploads/" + id, token).header("Content-Type", "application/offset+octet-stream")
			.header("Upload-Offset", Long.toString(offset))
			.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
			.build());
	}

	public Api.Response head(String token, String id) {
		return this.api.send(request("/api/uploads/" + id, token).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
	}

	public Api.Response delete(String token, String id) {
		return this.api.send(request("/api/uploads/" + id, token).DELETE().build());
	}

	/** The offset HEAD answers, or -1 when the upload is not found. */
	public long offset(String token, String id) {
		Api.Response head = head(token, id);
		return head.status() == 200 ? Long.parseLong(head.header("Upload-Offset")) : -1;
	}

	public HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.api.base() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Tus-Resumable", VERSION);
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

}
