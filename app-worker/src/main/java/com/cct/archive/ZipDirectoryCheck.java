package com.cct.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.function.Supplier;

import com.cct.conversion.RejectedInputException;

/**
 * Counts a zip's central directory before Commons Compress loads it. {@code ZipFile} builds an object
 * for every directory record it finds (some 400 bytes of heap each, for 46 bytes of file), whatever
 * the end record claims; the read budget on the channel caps the bytes, this caps the records. The
 * directory is found the way {@code ZipFile} 1.28 finds it (the last end record, its zip64 locator if
 * there is one, the same offset correction for data prepended to the archive) and walked record by
 * record without keeping anything. An archive this cannot make sense of is left for {@code ZipFile}
 * to refuse, still under the read budget.
 */
final class ZipDirectoryCheck {

	private static final int EOCD_SIG = 0x06054b50;

	private static final int ZIP64_LOCATOR_SIG = 0x07064b50;

	private static final int ZIP64_EOCD_SIG = 0x06064b50;

	private static final int CFH_SIG = 0x02014b50;

	private static final int EOCD_LENGTH = 22;

	private static final int MAX_COMMENT = 0xffff;

	private static final int ZIP64_LOCATOR_LENGTH = 20;

	private static final int CFH_LENGTH = 46;

	private static final int WINDOW = 64 * 1024;

	private ZipDirectoryCheck() {
	}

	/**
	 * Refuses an archive whose end record declares, or whose central directory holds, more than
	 * {@code maxEntries} entries.
	 */
	static void check(SeekableByteChannel channel, int maxEntries, Supplier<RejectedInputException> tooMany) throws IOException {
		long size = channel.size();
		if (size < EOCD_LENGTH) {
			return;
		}
		int tail = (int) Math.min(size, EOCD_LENGTH + MAX_COMMENT);
		ByteBuffer end = read(channel, size - tail, tail);
		int eocd = -1;
		for (int at = tail - EOCD_LENGTH; at >= 0; at--) {
			if (end.getInt(at) == EOCD_SIG) {
				eocd = at;
				break;
			}
		}
		if (eocd < 0) {
			return;
		}
		long eocdOffset = size - tail + eocd;
		long declared = Math.max(Short.toUnsignedLong(end.getShort(eocd + 8)), Short.toUnsignedLong(end.getShort(eocd + 10)));
		long start;
		ByteBuffer locator = eocdOffset >= ZIP64_LOCATOR_LENGTH
				? read(channel, eocdOffset - ZIP64_LOCATOR_LENGTH, ZIP64_LOCATOR_LENGTH) : null;
		if (locator != null && locator.getInt(0) == ZIP64_LOCATOR_SIG) {
			long zip64Offset = locator.getLong(8);
			if (zip64Offset < 0 || zip64Offset > size - 56) {
				return;
			}
			ByteBuffer zip64 = read(channel, zip64Offset, 56);
			if (zip64.getInt(0) != ZIP64_EOCD_SIG) {
				return;
			}
			long onDisk = zip64.getLong(24);
			long total = zip64.getLong(32);
			if (onDisk < 0 || total < 0 || onDisk > maxEntries || total > maxEntries) {
				throw tooMany.get();
			}
			start = zip64.getLong(48);
		}
		else {
			if (declared > maxEntries) {
				throw tooMany.get();
			}
			long length = Integer.toUnsignedLong(end.getInt(eocd + 12));
			long offset = Integer.toUnsignedLong(end.getInt(eocd + 16));
			start = offset + Math.max(eocdOffset - length - offset, 0);
		}
		walk(channel, start, size, maxEntries, tooMany);
	}

	/** Counts the records from {@code start} on, as {@code ZipFile} reads them: while the signature matches. */
	private static void walk(SeekableByteChannel channel, long start, long size, int maxEntries,
			Supplier<RejectedInputException> tooMany) throws IOException {
		long position = start;
		long window = -1;
		ByteBuffer buffer = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
		int records = 0;
		while (position >= 0 && position <= size - CFH_LENGTH) {
			if (window < 0 || position < window || position + CFH_LENGTH > window + buffer.limit()) {
				window = position;
				fill(channel, window, buffer, size);
			}
			int at = (int) (position - window);
			if (buffer.getInt(at) != CFH_SIG) {
				return;
			}
			if (++records > maxEntries) {
				throw tooMany.get();
			}
			int variable = Short.toUnsignedInt(buffer.getShort(at + 28)) + Short.toUnsignedInt(buffer.getShort(at + 30))
					+ Short.toUnsignedInt(buffer.getShort(at + 32));
			position += CFH_LENGTH + variable;
		}
	}

	private static void fill(SeekableByteChannel channel, long from, ByteBuffer buffer, long size) throws IOException {
		buffer.clear();
		buffer.limit((int) Math.min(buffer.capacity(), size - from));
		channel.position(from);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				break;
			}
		}
		buffer.flip();
	}

	private static ByteBuffer read(SeekableByteChannel channel, long from, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
		fill(channel, from, buffer, from + length);
		if (buffer.limit() < length) {
			throw new IOException("truncated");
		}
		return buffer;
	}

}
