package com.cct.storage;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3 server for the tests: S3Proxy (its jar-with-dependencies, copied by the build to
 * {@code app-core/target/s3proxy/}) with its filesystem backend, as a child process on a free port
 * of 127.0.0.1, checking AWS v2/v4 signatures. The bucket is a folder of the backend, so a test can
 * also see which objects exist. Shared with system-tests through app-core's test jar, so it uses the
 * JDK alone.
 */
public final class S3Server implements AutoCloseable {

	public static final String ACCESS_KEY = "cct-test-access";

	public static final String SECRET_KEY = "cct-test-secret-0123456789abcdef";

	public static final String REGION = "us-east-1";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	public final int port = freePort();

	public final String bucket;

	private final Path data;

	private Process process;

	private S3Server(Path folder, String bucket) {
		this.data = folder.toAbsolutePath().resolve("data");
		this.bucket = bucket;
	}

	/** Starts a server whose files live under {@code folder}, with one (empty) bucket. */
	public static S3Server start(Path folder, String bucket) {
		S3Server server = new S3Server(folder, bucket);
		server.run(folder.toAbsolutePath());
		return server;
	}

	private void run(Path folder) {
		Path jar = Path.of(System.getProperty("cct.s3proxyJar", "missing"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("S3Proxy not found at " + jar + " (the build copies it to "
					+ "app-core/target/s3proxy/: run Maven from the root)");
		}
		try {
			// the filesystem backend's buckets are its folders
			Files.createDirectories(this.data.resolve(this.bucket));
			Path properties = folder.resolve("s3proxy.properties");
			Files.writeString(properties, String.join("\n", "s3proxy.endpoint=" + endpoint(),
					"s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY,
					"s3proxy.credential=" + SECRET_KEY, "jclouds.provider=filesystem",
					"jclouds.filesystem.basedir=" + this.data, ""));
			this.process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString(), "--properties",
					properties.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("s3proxy.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		awaitUp(folder);
	}

	private void awaitUp(Path folder) {
		try {
			await("S3Proxy answers").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("S3Proxy exited with " + this.process.exitValue() + "; see "
							+ folder.resolve("s3proxy.log"));
				}
				return answers();
			});
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** Any answer (403 to an unsigned request) means it listens. */
	private boolean answers() throws InterruptedException {
		try {
			HTTP.send(HttpRequest.newBuilder(URI.create(endpoint())).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding());
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The environment that points a web process or a worker at this server's bucket. */
	public Map<String, String> environment() {
		return Map.of("CCT_STORAGE_BACKEND", "s3", "CCT_S3_ENDPOINT", endpoint(), "CCT_S3_REGION", REGION,
				"CCT_S3_BUCKET", this.bucket, "CCT_S3_ACCESS_KEY", ACCESS_KEY, "CCT_S3_SECRET_KEY", SECRET_KEY,
				"CCT_S3_PATH_STYLE", "true");
	}

	/** The keys of the objects stored under {@code prefix} (as the backend's folder shows them). */
	public List<String> keys(String prefix) {
		Path root = this.data.resolve(this.bucket);
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter(Files::isRegularFile)
				.map(file -> root.relativize(file).toString().replace('\\', '/'))
				.filter(key -> key.startsWith(prefix))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The bytes of an object, as the backend stores them. */
	public byte[] read(String key) {
		try {
			return Files.readAllBytes(this.data.resolve(this.bucket).resolve(key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
