package com.cct.conversion;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external processes of one conversion. Every process is started here, in the conversion's
 * {@link ProcessJail}, with stdin closed, and killed (with its children) when the conversion is
 * cancelled, passes its deadline, is interrupted or ends: no ffmpeg outlives its job.
 */
public final class ProcessScope implements AutoCloseable {

	private static final File NO_INPUT = new File("/dev/null");

	private final UUID taskId;

	private final Thread owner;

	private final Instant started;

	private final Duration ceiling;

	private final Clock clock;

	private final ProcessJail jail;

	private final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private volatile Duration limit;

	private volatile long maxOutput;

	private volatile boolean cancelled;

	private volatile boolean closed;

	public ProcessScope(UUID taskId, Duration ceiling, Clock clock) {
		this(taskId, ceiling, clock, new ProcessJail(Long.MAX_VALUE, Long.MAX_VALUE, 1));
	}

	ProcessScope(UUID taskId, Duration ceiling, Clock clock, ProcessJail jail) {
		this.clock = clock;
		this.jail = jail;
		this.taskId = taskId;
		this.owner = Thread.currentThread();
		this.started = this.clock.instant();
		this.ceiling = ceiling;
		this.limit = ceiling;
		this.maxOutput = jail.maxFileBytes();
	}

	public UUID taskId() {
		return this.taskId;
	}

	/**
	 * Starts a process whose standard output is read by the caller; the tail of its errors is kept
	 * in {@code errors}, or they are discarded when it is null.
	 */
	public Process startReadingOutput(List<String> command, ErrorTail errors) throws IOException {
		Process process = start(new ProcessBuilder(command).redirectOutput(Redirect.PIPE)
			.redirectError(errors == null ? Redirect.DISCARD : Redirect.PIPE));
		if (errors != null) {
			errors.follow(process.getErrorStream());
		}
		return process;
	}

	private Process start(ProcessBuilder builder) throws IOException {
		if (this.closed || this.cancelled) {
			throw new IOException("conversion already ended");
		}
		Duration left = Duration.between(this.clock.instant(), deadline());
		builder.command(this.jail.wrap(builder.command(), left.isNegative() ? Duration.ZERO : left, this.maxOutput));
		this.jail.clean(builder.environment());
		Process process = builder.redirectInput(NO_INPUT).start();
		this.processes.add(process);
		process.onExit().thenRun(() -> this.processes.remove(process));
		if (this.closed || this.cancelled) {
			kill();
		}
		return process;
	}

	/** The largest file its processes may write: the ceiling of a result. */
	public long maxOutputBytes() {
		return this.maxOutput;
	}

	/** Lowers the ceiling of the result for processes started from now on; never raises it. */
	void limitOutputTo(long bytes) {
		if (bytes < this.maxOutput) {
			this.maxOutput = bytes;
		}
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
