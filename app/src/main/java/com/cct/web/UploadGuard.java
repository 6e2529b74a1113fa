package com.cct.web;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

/**
 * The body of one request as Tomcat reads it, cut when the total deadline has passed or the last
 * window brought fewer bytes than the minimum rate. Sits under every reader (the multipart parser
 * and {@code getInputStream()} alike). The check runs before each read, so a stalled client is cut
 * at most one Tomcat read timeout after its window closes.
 */
final class UploadGuard implements InputBuffer {

	enum Cut {
		TIMEOUT, TOO_SLOW
	}

	/** A {@link SocketTimeoutException}, so Tomcat treats the cut as the 408 it is. */
	static final class UploadCutException extends SocketTimeoutException {

		UploadCutException(String message) {
			super(message);
		}

	}

	private final InputBuffer body;

	private final LongSupplier nanoTime;

	private final long timeoutNanos;

	private final long windowNanos;

	private final long minBytesPerSecond;

	private final long startedAt;

	private long windowStartedAt;

	private long windowBytes;

	private long bytes;

	private boolean ended;

	private volatile Cut cut;

	UploadGuard(InputBuffer body, UploadGuardSettings settings, LongSupplier nanoTime) {
		this.body = body;
		this.nanoTime = nanoTime;
		this.timeoutNanos = settings.timeout().toNanos();
		this.windowNanos = settings.rateWindow().toNanos();
		this.minBytesPerSecond = settings.minRate().toBytes();
		this.startedAt = nanoTime.getAsLong();
		this.windowStartedAt = this.startedAt;
	}

	@Override
	public int doRead(ApplicationBufferHandler handler) throws IOException {
		if (this.cut != null) {
			throw new UploadCutException("upload already cut: " + this.cut);
		}
		check(this.nanoTime.getAsLong());
		int read = this.body.doRead(handler);
		if (read < 0) {
			this.ended = true;
		}
		else {
			this.bytes += read;
			this.windowBytes += read;
		}
		return read;
	}

	private void check(long now) throws UploadCutException {
		if (now - this.startedAt > this.timeoutNanos) {
			this.cut = Cut.TIMEOUT;
			throw new UploadCutException("upload deadline passed after " + this.bytes + " bytes");
		}
		long window = now - this.windowStartedAt;
		if (window >= this.windowNanos) {
			// bytes per second over the window, without overflow for any realistic body
			if (this.windowBytes * 1_000_000_000.0 / window < this.minBytesPerSecond) {
				this.cut = Cut.TOO_SLOW;
				throw new UploadCutException("upload slower than " + this.minBytesPerSecond + " B/s");
			}
			this.windowStartedAt = now;
			this.windowBytes = 0;
		}
	}

	@Override
	public int available() {
		return this.body.available();
	}

	InputBuffer body() {
		return this.body;
	}

	Cut cut() {
		return this.cut;
	}

	/** The reader saw the end of the body: nothing is left for Tomcat to swallow. */
	boolean ended(long contentLength) {
		return this.ended || (contentLength >= 0 && this.bytes >= contentLength);
	}

}
