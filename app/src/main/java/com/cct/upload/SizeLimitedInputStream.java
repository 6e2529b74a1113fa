package com.cct.upload;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A file's bytes, refused with 413 as soon as they pass the upload limit (the rest is never read). */
final class SizeLimitedInputStream extends FilterInputStream {

	private final long max;

	private long count;

	SizeLimitedInputStream(InputStream in, long max) {
		super(in);
		this.max = max;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			counted(1);
		}
		return b;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int n = super.read(b, off, len);
		if (n > 0) {
			counted(n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(n);
		counted(skipped);
		return skipped;
	}

	@Override
	public long transferTo(OutputStream out) throws IOException {
		// counted before each write, so no byte over the limit reaches the file
		return this.in.transferTo(new FilterOutputStream(out) {
			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				counted(len);
				this.out.write(b, off, len);
			}

			@Override
			public void write(int b) throws IOException {
				counted(1);
				this.out.write(b);
			}
		});
	}

	private void counted(long n) {
		this.count += n;
		if (this.count > this.max) {
			throw UploadValidator.tooLarge();
		}
	}

}
