package com.cct.conversion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.DoubleConsumer;

import com.cct.storage.Workspace;
import com.cct.system.Texts;
import com.cct.task.Task;

/**
 * What a converter works with. Paths are local, inside the attempt's {@link Workspace} (the task's
 * folder, or a worker's scratch folder with a bucket); {@link #newTempFolder()} gives scratch space
 * there too (removed by the runner afterwards). Long loops call {@link #checkpoint()}
 * so a cancel, a job interruption or the deadline stops them promptly.
 */
public final class ConversionContext {

	private final Task task;

	private final Path input;

	private final Path output;

	private final Workspace workspace;

	private final DoubleConsumer progress;

	private final ProcessScope processes;

	public ConversionContext(Task task, Path input, Path output, Workspace workspace, DoubleConsumer progress,
			ProcessScope processes) {
		this.task = task;
		this.input = input;
		this.output = output;
		this.workspace = workspace;
		this.progress = progress;
		this.processes = processes;
	}

	public Task task() {
		return this.task;
	}

	public Path input() {
		return this.input;
	}

	/** The temporary output; the runner moves it into place once the converter returns. */
	public Path output() {
		return this.output;
	}

	/** A new temporary file beside the output, with the given extension. */
	public Path newTempFile(String extension) {
		return this.workspace.newTempFile(extension);
	}

	/** A new temporary name beside the output, without an extension. */
	public Path newTempFile() {
		return this.workspace.newTempFile();
	}

	public Path newTempFolder() {
		return this.workspace.newTempFolder();
	}

	/** Reports progress as a fraction 0..1; throttled downstream, so call as often as convenient. */
	public void progress(double fraction) {
		this.progress.accept(Math.max(0, Math.min(1, fraction)));
	}

	/**
	 * Throws when the task was cancelled, the job interrupted or the deadline passed. Cheap enough
	 * to call for every buffer copied.
	 */
	public void checkpoint() throws InterruptedException {
		if (Thread.currentThread().isInterrupted() || this.processes.isCancelled()) {
			throw new InterruptedException("conversion cancelled");
		}
		if (this.processes.isExpired()) {
			throw new DeadlineExceededException(this.processes.limit());
		}
	}

	/**
	 * Throws when the output reached the ceiling of a result: a process writing it was stopped there
	 * (or would have been), so what is on disk is not the whole result.
	 */
	public void checkOutputSize() throws IOException {
		long limit = this.processes.maxOutputBytes();
		if (Files.isRegularFile(this.output) && Files.size(this.output) >= limit) {
			Files.deleteIfExists(this.output);
			throw new RejectedInputException("The result would be larger than the limit of " + Texts.bytes(limit) + ".");
		}
	}

	/** Lowers the ceiling of the result (e.g. relative to the input), never beyond the configured one. */
	public void limitOutputTo(long bytes) {
		this.processes.limitOutputTo(bytes);
	}

	/** Tightens the deadline once the input is known (e.g. from its duration), never beyond the ceiling. */
	public void limitTo(Duration limit) {
		this.processes.limitTo(limit);
	}

	/** The sandbox that starts external processes (ffmpeg and its helpers) bound to this conversion. */
	public ProcessScope processes() {
		return this.processes;
	}

}
