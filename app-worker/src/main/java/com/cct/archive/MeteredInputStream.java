package com.cct.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that tells a subclass how many bytes passed after every read or skip, so it can refuse
 * the input the moment a bound is crossed (before a parser buffers more of it).
 */
abstract class MeteredInputStream extends FilterInputStream {

	MeteredInputStream(InputStream in) {
		super(in);
	}

	/** Called with the count of bytes just read or skipped; throws to stop the reader. */
	abstract void counted(long bytes);

	@Override
	public int read() throws IOException {
		int read = this.in.read();
		if (read >= 0) {
			counted(1);
		}
		return read;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int read = this.in.read(buffer, offset, length);
		if (read > 0) {
			counted(read);
		}
		return read;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = this.in.skip(n);
		if (skipped > 0) {
			counted(skipped);
		}
		return skipped;
	}

}
