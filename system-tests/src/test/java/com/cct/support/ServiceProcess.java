package com.cct.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the packaged jars running as its own JVM, exactly as deployed: configured by environment
 * variables only, its output in {@code target/logs/NAME.log}.
 */
public final class ServiceProcess {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Path jar;

	private final Map<String, String> environment;

	private final int healthPort;

	private final List<String> jvmOptions;

	private Process process;

	public ServiceProcess(String name, Path jar, Map<String, String> environment, int healthPort, List<String> jvmOptions) {
		this.name = name;
		this.jar = jar;
		this.environment = environment;
		this.healthPort = healthPort;
		this.jvmOptions = jvmOptions;
	}

	public ServiceProcess start() {
		try {
			Path logs = Path.of("target", "logs");
			Files.createDirectories(logs);
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(this.jvmOptions);
			command.add("-jar");
			command.add(this.jar.toAbsolutePath().toString());
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(this.name + ".log").toFile()));
			builder.environment().putAll(this.environment);
			this.process = builder.start();
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start " + this.name, ex);
		}
	}

	public ServiceProcess awaitHealthy(Duration within) {
		await(this.name + " healthy").atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue()
						+ "; see system-tests/target/logs/" + this.name + ".log");
			}
			return isHealthy() && listensOnHealthPort();
		});
		return this;
	}

	/**
	 * Whether the health answer came from this JVM: one of its sockets listens on the health port.
	 * Without this, a JVM that lost its port to another one and died could pass for healthy.
	 */
	private boolean listensOnHealthPort() {
		Path proc = Path.of("/proc", Long.toString(this.process.pid()));
		try (var fds = Files.list(proc.resolve("fd"))) {
			java.util.Set<String> sockets = new java.util.HashSet<>();
			fds.forEach(fd -> {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						sockets.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed meanwhile
				}
			});
			String port = String.format(":%04X", this.healthPort);
			for (String table : List.of("tcp", "tcp6")) {
				for (String line : Files.readAllLines(proc.resolve("net").resolve(table))) {
					// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
					String[] fields = line.trim().split("\\s+");
					if (fields.length > 9 && fields[1].endsWith(port) && "0A".equals(fields[3]) && sockets.contains(fields[9])) {
						return true;
					}
				}
			}
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public boolean isHealthy() {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.healthPort + "/actuator/health"))
				.timeout(Duration.ofSeconds(2))
				.build(), HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** SIGTERM, then wait for a graceful exit. */
	public void stop(Duration within) {
		if (this.process == null || !this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill();
		}
	}

	/** SIGKILL with its children: what a crash looks like. */
	public void kill() {
		if (this.process == null) {
			return;
		}
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The processes this JVM started (ffmpeg) that are still alive. */
	public List<ProcessHandle> children() {
		return this.process.descendants().filter(ProcessHandle::isAlive).toList();
	}

	/** The ffmpeg processes among them. */
	public List<ProcessHandle> ffmpegChildren() {
		return children().stream()
			.filter(child -> child.info().command().map(command -> command.endsWith("ffmpeg")).orElse(false))
			.toList();
	}

}
