package com.cct.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The uploaded archive, read-only, for the readers that need random access (zip, 7z). It remembers
 * how far reading got (for progress) and can cap the bytes read: zip readers load the whole central
 * directory into memory when they open, so a directory of millions of entries must be cut short
 * before it is, not counted afterwards. Errors of the file itself are unchecked
 * ({@link StorageReadException}) so that no reader mistakes them for a damaged archive.
 */
final class TrackedChannel implements SeekableByteChannel {

	private final FileChannel file;

	private long budget = Long.MAX_VALUE;

	private long lastRead;

	private TrackedChannel(FileChannel file) {
		this.file = file;
	}

	static TrackedChannel open(Path path) throws IOException {
		return new TrackedChannel(FileChannel.open(path, StandardOpenOption.READ));
	}

	void limitReadsTo(long bytes) {
		this.budget = bytes;
	}

	void unlimited() {
		this.budget = Long.MAX_VALUE;
	}

	/** Where the last read ended: how far extraction got, as entries are read in file order. */
	long lastRead() {
		return this.lastRead;
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		if (this.budget <= 0) {
			throw new ReadBudgetExceededException();
		}
		int limit = destination.limit();
		if (destination.remaining() > this.budget) {
			destination.limit(destination.position() + (int) this.budget);
		}
		try {
			int read = readFile(destination);
			if (read > 0) {
				this.budget -= read;
				this.lastRead = this.file.position();
			}
			return read;
		}
		finally {
			destination.limit(limit);
		}
	}

	// a failure to read the stored file is the storage's, not the archive's: kept apart from parse errors
	private int readFile(ByteBuffer destination) {
		try {
			return this.file.read(destination);
		}
		catch (IOException ex) {
			throw new StorageReadException(ex);
		}
	}

	@Override
	public long position() throws IOException {
		return this.file.position();
	}

	@Override
	public SeekableByteChannel position(long newPosition) throws IOException {
		this.file.position(newPosition);
		return this;
	}

	@Override
	public long size() throws IOException {
		return this.file.size();
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		throw new IOException("read-only");
	}

	@Override
	public SeekableByteChannel truncate(long size) throws IOException {
		throw new IOException("read-only");
	}

	@Override
	public boolean isOpen() {
		return this.file.isOpen();
	}

	@Override
	public void close() throws IOException {
		this.file.close();
	}

	/** Reading the stored archive failed (I/O error, or the thread was interrupted and the channel closed). */
	static final class StorageReadException extends UncheckedIOException {

		StorageReadException(IOException cause) {
			super(cause);
		}

	}

	/** Thrown while the read budget is exhausted; the caller turns it into a refusal. */
	static final class ReadBudgetExceededException extends IOException {

		ReadBudgetExceededException() {
			super("read budget exceeded");
		}

	}

}
