package com.cct.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A stretch of a file as a stream: one part of a multipart upload, read from disk, not from memory. */
final class FileSlice extends InputStream {

	private final FileChannel channel;

	private long remaining;

	private FileSlice(FileChannel channel, long length) {
		this.channel = channel;
		this.remaining = length;
	}

	static InputStream open(Path file, long start, long length) {
		try {
			return new FileSlice(FileChannel.open(file, StandardOpenOption.READ).position(start), length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == 1) ? (one[0] & 0xff) : -1;
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		if (this.remaining <= 0) {
			return -1;
		}
		int read = this.channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, this.remaining)));
		if (read > 0) {
			this.remaining -= read;
		}
		return read;
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
