package com.cct.archive;

import java.io.InputStream;

import com.cct.conversion.RejectedInputException;

/**
 * The compressed bytes under a gzip decompressor, with a bound on each member's header. Commons
 * Compress 1.28 keeps a member's file name and comment in memory whole, read up to the first zero
 * byte: one name as long as the upload would fill the heap. The decompressor reports where each
 * member's header ends ({@link #memberStarted()}) and where the next one begins
 * ({@link #memberEnded()}); in between, only the deflated data and the trailer pass, unmetered.
 */
final class GzipHeaderGuard extends MeteredInputStream {

	/** The fixed fields, an extra field of at most 64 KB, and a name and comment of together 192 KB. */
	static final int MAX_HEADER_BYTES = 256 * 1024;

	private boolean inHeader = true;

	private long headerBytes;

	GzipHeaderGuard(InputStream compressed) {
		super(compressed);
	}

	/** The decompressor has read a member's header and starts on its data. */
	void memberStarted() {
		this.inHeader = false;
	}

	/** The decompressor has read a member's trailer; what follows is the next member's header. */
	void memberEnded() {
		this.inHeader = true;
		this.headerBytes = 0;
	}

	@Override
	void counted(long bytes) {
		if (!this.inHeader) {
			return;
		}
		this.headerBytes += bytes;
		if (this.headerBytes > MAX_HEADER_BYTES) {
			throw new RejectedInputException("The archive's gzip header (its file name or comment) is longer than "
					+ (MAX_HEADER_BYTES / 1024) + " KB; it was refused.");
		}
	}

}
