package com.cct.conversion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.cct.system.Threads;

/**
 * Keeps the last few kilobytes of a process's error output, however much it writes: an input that
 * makes ffmpeg print an error per packet costs this fixed buffer, never the worker's heap or disk.
 */
public final class ErrorTail {

	static final int KEPT_BYTES = 8 * 1024;

	private final byte[] ring = new byte[KEPT_BYTES];

	private long written;

	private Thread reader;

	/** Starts draining the stream on a thread of its own until it ends. */
	synchronized void follow(InputStream errors) {
		this.reader = Threads.daemon("process-errors").newThread(() -> drain(errors));
		this.reader.start();
	}

	private void drain(InputStream errors) {
		byte[] buffer = new byte[4096];
		try (errors) {
			int read;
			while ((read = errors.read(buffer)) >= 0) {
				append(buffer, read);
			}
		}
		catch (IOException ex) {
			// the process is gone; what arrived is kept
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
