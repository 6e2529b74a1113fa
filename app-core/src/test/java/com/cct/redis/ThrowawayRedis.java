package com.cct.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;

/**
 * A redis-server of the test's own on a free port, without persistence, that the test can kill and
 * start again on the same port to play an outage. Public for the tests of other packages that need a
 * Redis of their own (channels no one else publishes on).
 */
public final class ThrowawayRedis implements AutoCloseable {

	private final int port;

	private final Path dir;

	private Process process;

	public ThrowawayRedis(Path dir) throws IOException {
		this.dir = dir;
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
	}

	public int port() {
		return this.port;
	}

	public URI url() {
		return URI.create("redis://127.0.0.1:" + this.port);
	}

	public RedisSettings settings(Duration retryAfter) {
		return new RedisSettings(url(), Duration.ofMillis(500), retryAfter, Duration.ofMinutes(1));
	}

	public ThrowawayRedis start() throws IOException {
		this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", this.dir.toString())
			.redirectOutput(Redirect.DISCARD)
			.redirectErrorStream(true)
			.start();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
			try (Jedis jedis = new Jedis("127.0.0.1", this.port)) {
				return "PONG".equals(jedis.ping());
			}
		});
		return this;
	}

	public void kill() throws InterruptedException {
		if (this.process != null) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
			this.process = null;
		}
	}

	@Override
	public void close() throws InterruptedException {
		kill();
	}

}
