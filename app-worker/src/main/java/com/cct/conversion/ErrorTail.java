package com.cct.conversion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.cct.system.Threads;

/**
 * Keeps the last few kilobytes of a process's error output, however much it writes: an input that
 * makes ffmpeg print an error per packet costs this fixed buffer, never the worker's heap or disk.
 * With a {@link Lines} filter the output is read line by line (each cut at {@link #MAX_LINE} bytes)
 * and only the lines the filter keeps, as it rewrote them, go into the tail.
 */
public final class ErrorTail {

	static final int KEPT_BYTES = 8 * 1024;

	/** Longer lines are cut here for the filter (what follows up to the line's end is dropped). */
	public static final int MAX_LINE = 4 * 1024;

	/** Sees every line of the output, in order, on the reading thread. */
	@FunctionalInterface
	public interface Lines {

		/** The line to keep in the tail (without its line end), or null to keep nothing of it. */
		String keep(String line);

	}

	private final byte[] ring = new byte[KEPT_BYTES];

	private final Lines lines;

	private long written;

	private Thread reader;

	public ErrorTail() {
		this(null);
	}

	public ErrorTail(Lines lines) {
		this.lines = lines;
	}

	/** Starts draining the stream on a thread of its own until it ends. */
	synchronized void follow(InputStream errors) {
		this.reader = Threads.daemon("process-errors").newThread(() -> drain(errors));
		this.reader.start();
	}

	private void drain(InputStream errors) {
		byte[] buffer = new byte[4096];
		LineSplitter splitter = this.lines == null ? null : new LineSplitter();
		try (errors) {
			int read;
			while ((read = errors.read(buffer)) >= 0) {
				if (splitter == null) {
					append(buffer, read);
				}
				else {
					splitter.feed(buffer, read);
				}
			}
		}
		catch (IOException ex) {
			// the process is gone; what arrived is kept
		}
		finally {
			if (splitter != null) {
				splitter.flush();
			}
		}
	}

	/** Bytes to lines (ended by LF or CR), each cut at MAX_LINE bytes, handed to the filter. */
	private final class LineSplitter {

		private final byte[] line = new byte[MAX_LINE];

		private int length;

		void feed(byte[] buffer, int count) {
			for (int i = 0; i < count; i++) {
				byte b = buffer[i];
				if (b == '\n' || b == '\r') {
					flush();
				}
				else if (this.length < MAX_LINE) {
					this.line[this.length++] = b;
				}
			}
		}

		void flush() {
			if (this.length == 0) {
				return;
			}
			String kept = ErrorTail.this.lines.keep(new String(this.line, 0, this.length, StandardCharsets.UTF_8));
			this.length = 0;
			if (kept != null) {
				byte[] bytes = (kept + "\n").getBytes(StandardCharsets.UTF_8);
				append(bytes, bytes.length);
			}
		}

	}

	private synchronized void append(byte[] buffer, int length) {
		for (int i = 0; i < length; i++) {
			this.ring[(int) (this.written++ % KEPT_BYTES)] = buffer[i];
		}
	}

	/** The kept tail as text, once the process has closed its error stream (waited for briefly). */
	public String text() {
		Thread draining;
		synchronized (this) {
			draining = this.reader;
		}
		if (draining != null) {
			try {
				TimeUnit.MILLISECONDS.timedJoin(draining, 2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			int size = (int) Math.min(this.written, KEPT_BYTES);
			byte[] tail = new byte[size];
			long start = this.written - size;
			for (int i = 0; i < size; i++) {
				tail[i] = this.ring[(int) ((start + i) % KEPT_BYTES)];
			}
			return new String(tail, StandardCharsets.UTF_8);
		}
	}

}
