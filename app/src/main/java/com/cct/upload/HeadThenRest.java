package com.cct.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;

/**
 * A file's first bytes, already read for the content check, then the rest of it. Unlike
 * {@link SequenceInputStream} it hands {@link #transferTo} on to the rest, whose buffers go to the
 * file without another copy.
 */
final class HeadThenRest extends InputStream {

	private final ByteArrayInputStream head;

	private final InputStream rest;

	HeadThenRest(byte[] head, InputStream rest) {
		this.head = new ByteArrayInputStream(head);
		this.rest = rest;
	}

	@Override
	public int read() throws IOException {
		int b = this.head.read();
		return b >= 0 ? b : this.rest.read();
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		if (len == 0) {
			return 0;
		}
		int n = this.head.read(b, off, len);
		return n > 0 ? n : this.rest.read(b, off, len);
	}

	@Override
	public long transferTo(OutputStream out) throws IOException {
		return this.head.transferTo(out) + this.rest.transferTo(out);
	}

}
