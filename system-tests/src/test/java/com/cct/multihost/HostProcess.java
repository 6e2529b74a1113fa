package com.cct.multihost;

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
import java.util.concurrent.TimeUnit;

/**
 * A program running on one of the test's hosts ({@code ip netns exec}, which execs it, so the
 * process is the program itself), configured by environment variables only, its output in
 * {@code target/logs/multihost-NAME.log}.
 */
final class HostProcess {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private HostProcess(String name, Process process) {
		this.name = name;
		this.process = process;
	}

	static HostProcess start(String name, TestNetwork.Host host, List<String> command, Map<String, String> environment) {
		try {
			Path logs = Path.of("target", "logs");
			Files.createDirectories(logs);
			List<String> full = new ArrayList<>(host.exec());
			full.addAll(command);
			ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("multihost-" + name + ".log").toFile()));
			builder.environment().putAll(environment);
			return new HostProcess(name, builder.start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start " + name, ex);
		}
	}

	/** A packaged jar as its own JVM on the host. */
	static HostProcess java(String name, TestNetwork.Host host, Path jar, Map<String, String> environment,
			String... jvmOptions) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(jvmOptions));
		command.add("-jar");
		command.add(jar.toAbsolutePath().toString());
		return start(name, host, command, environment);
	}

	/** Waits until {@code url} answers 200 (a health endpoint); fails at once if the process died. */
	HostProcess awaitUp(String url, Duration within) {
		await(this.name + " up").atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue()
						+ "; see system-tests/target/logs/multihost-" + this.name + ".log");
			}
			return status(url) == 200;
		});
		return this;
	}

	/** The status code of a GET, -1 when nothing answered. */
	static int status(String url) {
		HttpResponse<String> response = get(url);
		return (response != null) ? response.statusCode() : -1;
	}

	/** The body of a GET, empty when nothing answered. */
	static String text(String url) {
		HttpResponse<String> response = get(url);
		return (response != null) ? response.body() : "";
	}

	private static HttpResponse<String> get(String url) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	String name() {
		return this.name;
	}

	/** The ffmpeg processes this program started that are still running. */
	List<ProcessHandle> ffmpegChildren() {
		return this.process.descendants()
			.filter(ProcessHandle::isAlive)
			.filter(child -> child.info().command().map(command -> command.endsWith("ffmpeg")).orElse(false))
			.toList();
	}

	/** SIGTERM, then SIGKILL (with its children) if it has not exited within {@code grace}. */
	void stop(Duration grace) {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
