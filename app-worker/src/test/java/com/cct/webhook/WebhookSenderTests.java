package com.cct.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The sender against a real HTTP server on 127.0.0.1. */
class WebhookSenderTests {

	private final WebhookSender sender = new WebhookSender();

	private final AtomicInteger requests = new AtomicInteger();

	private HttpServer server;

	private InetAddress loopback;

	@BeforeEach
	void start() throws IOException {
		this.loopback = InetAddress.getByName("127.0.0.1");
		this.server = HttpServer.create(new InetSocketAddress(this.loopback, 0), 0);
		this.server.createContext("/ok", exchange -> {
			this.requests.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			byte[] answer = exchange.getRequestHeaders().getFirst("Cct-Test").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		this.server.createContext("/redirect", exchange -> {
			this.requests.incrementAndGet();
			exchange.getResponseHeaders().add("Location", url("/ok").toString());
			exchange.sendResponseHeaders(307, -1);
			exchange.close();
		});
		this.server.createContext("/huge", exchange -> {
			this.requests.incrementAndGet();
			exchange.sendResponseHeaders(500, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				byte[] chunk = new byte[64 * 1024];
				for (int i = 0; i < 1024; i++) {
					out.write(chunk);
				}
			}
			catch (IOException ex) {
				// the sender hung up, as it should
			}
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void connectsToTheCheckedAddressWhateverTheNameResolvesToNow() throws Exception {
		// the name resolves nowhere (.invalid); the request still reaches the address that was checked
		URI url = URI.create("http://rebound.invalid:" + this.server.getAddress().getPort() + "/ok");

		WebhookSender.Answer answer = this.sender.post(url, List.of(this.loopback), Map.of("Cct-Test", "pinned"),
				"{}".getBytes(StandardCharsets.UTF_8));

		assertThat(answer.code()).isEqualTo(200);
		assertThat(answer.head()).isEqualTo("pinned");
		assertThat(answer.accepted()).isTrue();
	}

	@Test
	void followsNoRedirect() throws Exception {
		WebhookSender.Answer answer = this.sender.post(url("/redirect"), List.of(this.loopback), Map.of(), new byte[0]);

		assertThat(answer.code()).isEqualTo(307);
		assertThat(answer.accepted()).isFalse();
		assertThat(this.requests).as("the redirect's target was not called").hasValue(1);
	}

	@Test
	void readsAtMostAFewKilobytesOfTheAnswer() throws Exception {
		long start = System.nanoTime();
		WebhookSender.Answer answer = this.sender.post(url("/huge"), List.of(this.loopback), Map.of(), new byte[0]);

		assertThat(answer.code()).isEqualTo(500);
		assertThat(answer.head()).hasSize(WebhookSender.MAX_ANSWER_BYTES);
		assertThat(System.nanoTime() - start).as("64 MB were not read").isLessThan(9_000_000_000L);
	}

	private URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path);
	}

}
