package com.cct.conversion;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external processes of one conversion. Every process is started here, with stdin closed, and
 * killed (with its children) when the conversion is cancelled, passes its deadline, is interrupted
 * or ends: no ffmpeg outlives its job.
 */
public final class ProcessScope implements AutoCloseable {

	private static final File NO_INPUT = new File("/dev/null");

	/**
	 * util-linux's setpriv makes the kernel kill the process when the JVM dies, even by SIGKILL,
	 * so a crashed worker leaves no ffmpeg behind. Used wherever it exists (Debian, Ubuntu images).
	 */
	private static final List<String> DIE_WITH_PARENT = Files.isExecutable(Path.of("/usr/bin/setpriv"))
			? List.of("/usr/bin/setpriv", "--pdeathsig", "KILL") : List.of();

	private final UUID taskId;

	private final Thread owner;

	private final Instant started;

	private final Duration ceiling;

	private final Clock clock;

	private final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private volatile Duration limit;

	private volatile boolean cancelled;

	private volatile boolean closed;

	public ProcessScope(UUID taskId, Duration ceiling, Clock clock) {
		this.clock = clock;
		this.taskId = taskId;
		this.owner = Thread.currentThread();
		this.started = this.clock.instant();
		this.ceiling = ceiling;
		this.limit = ceiling;
	}

	public UUID taskId() {
		return this.taskId;
	}

	/** Starts a process whose standard output is read by the caller and whose errors go to a file. */
	public Process startReadingOutput(List<String> command, Path errorLog) throws IOException {
		return start(new ProcessBuilder(command).redirectOutput(Redirect.PIPE)
			.redirectError(errorLog == null ? Redirect.DISCARD : Redirect.to(errorLog.toFile())));
	}

	private Process start(ProcessBuilder builder) throws IOException {
		if (this.closed || this.cancelled) {
			throw new IOException("conversion already ended");
		}
		List<String> command = new ArrayList<>(DIE_WITH_PARENT);
		command.addAll(builder.command());
		Process process = builder.command(command).redirectInput(NO_INPUT).start();
		this.processes.add(process);
		process.onExit().thenRun(() -> this.processes.remove(process));
		if (this.closed || this.cancelled) {
			kill();
		}
		return process;
	}

	public boolean isCancelled() {
		return this.cancelled;
	}

	public boolean isExpired() {
		return this.clock.instant().isAfter(deadline());
	}

	public Instant deadline() {
		return this.started.plus(this.limit);
	}

	public Duration limit() {
		return this.limit;
	}

	void limitTo(Duration wanted) {
		if (wanted.compareTo(this.ceiling) < 0) {
			this.limit = wanted;
		}
	}

	Thread owner() {
		return this.owner;
	}

	/** The user cancelled, or the job was deleted: stop now. */
	public void cancel() {
		this.cancelled = true;
		kill();
	}

	public void kill() {
		for (Process process : this.processes) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		kill();
	}

}
