package com.cct.archive;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

import org.tukaani.xz.LZMA2InputStream;
import org.tukaani.xz.LZMAInputStream;

import com.cct.conversion.RejectedInputException;

/**
 * Reads what a 7z archive says about its own header before Commons Compress acts on it. {@code
 * SevenZFile} 1.28 allocates the stored header whole (as large as the file) and, when the header is
 * itself compressed, decompresses it whole into memory (as large as it claims, up to 2 GB) before
 * any of its memory checks apply. Both sizes are bounded here by {@value #MAX_HEADER_BYTES} bytes.
 * The memory its header coders declare (their dictionaries) is returned, so the caller can open the
 * archive once with only that much to spare for the header's own structures.
 */
final class SevenZHeaderCheck {

	static final int MAX_HEADER_BYTES = 16 * 1024 * 1024;

	private static final byte[] SIGNATURE = { '7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C };

	private static final int SIGNATURE_HEADER_SIZE = 32;

	// an encoded header's own description: a few coders and sizes, never near this
	private static final int MAX_DESCRIPTION_BYTES = 64 * 1024;

	private static final int K_END = 0x00;

	private static final int K_HEADER = 0x01;

	private static final int K_PACK_INFO = 0x06;

	private static final int K_UNPACK_INFO = 0x07;

	private static final int K_SUBSTREAMS_INFO = 0x08;

	private static final int K_SIZE = 0x09;

	private static final int K_CRC = 0x0A;

	private static final int K_FOLDER = 0x0B;

	private static final int K_CODERS_UNPACK_SIZE = 0x0C;

	private static final int K_ENCODED_HEADER = 0x17;

	private static final byte[] LZMA = { 3, 1, 1 };

	private static final byte[] LZMA2 = { 0x21 };

	private SevenZHeaderCheck() {
	}

	/**
	 * Refuses a header over the bound and returns the memory, in KiB, that the coders of an encoded
	 * header declare (0 for a stored header, or one this cannot read: {@code SevenZFile} refuses those).
	 */
	static long check(SeekableByteChannel channel) throws IOException {
		long size = channel.size();
		if (size < SIGNATURE_HEADER_SIZE) {
			return 0;
		}
		ByteBuffer start = read(channel, 0, SIGNATURE_HEADER_SIZE);
		byte[] signature = new byte[SIGNATURE.length];
		start.get(0, signature);
		if (!Arrays.equals(signature, SIGNATURE)) {
			return 0;
		}
		long nextHeaderOffset = start.getLong(12);
		long nextHeaderSize = start.getLong(20);
		if (nextHeaderSize > MAX_HEADER_BYTES || nextHeaderSize < 0) {
			throw headerTooLarge();
		}
		if (nextHeaderOffset < 0 || nextHeaderSize == 0
				|| nextHeaderOffset > size - SIGNATURE_HEADER_SIZE - nextHeaderSize) {
			return 0;
		}
		ByteBuffer header = read(channel, SIGNATURE_HEADER_SIZE + nextHeaderOffset,
				(int) Math.min(nextHeaderSize, MAX_DESCRIPTION_BYTES));
		int nid = header.get() & 0xff;
		if (nid == K_HEADER) {
			return 0;
		}
		if (nid != K_ENCODED_HEADER) {
			return 0;
		}
		try {
			return encodedHeader(header);
		}
		catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException ex) {
			throw new RejectedInputException("The archive is damaged or truncated.");
		}
	}

	/** The streams info of an encoded header: where the packed header is, its coders, its unpacked sizes. */
	private static long encodedHeader(ByteBuffer header) throws IOException {
		long memoryKiB = 0;
		int nid = header.get() & 0xff;
		while (nid != K_END) {
			switch (nid) {
				case K_PACK_INFO -> packInfo(header);
				case K_UNPACK_INFO -> memoryKiB += unpackInfo(header);
				case K_SUBSTREAMS_INFO -> {
					// not written for headers; SevenZFile checks the rest
					return memoryKiB;
				}
				default -> throw new IllegalArgumentException("unexpected property " + nid);
			}
			nid = header.get() & 0xff;
		}
		return memoryKiB;
	}

	private static void packInfo(ByteBuffer header) {
		number(header); // pack position
		long streams = count(header);
		int nid = header.get() & 0xff;
		while (nid != K_END) {
			if (nid == K_SIZE) {
				for (long i = 0; i < streams; i++) {
					number(header);
				}
			}
			else if (nid == K_CRC) {
				digests(header, streams);
			}
			else {
				throw new IllegalArgumentException("unexpected pack property " + nid);
			}
			nid = header.get() & 0xff;
		}
	}

	private static long unpackInfo(ByteBuffer header) throws IOException {
		if ((header.get() & 0xff) != K_FOLDER) {
			throw new IllegalArgumentException("no folders");
		}
		long folders = count(header);
		if (header.get() != 0) {
			throw new IllegalArgumentException("external folders");
		}
		long memoryKiB = 0;
		long[] outputs = new long[(int) folders];
		for (int folder = 0; folder < folders; folder++) {
			long coders = count(header);
			long inputs = 0;
			for (long coder = 0; coder < coders; coder++) {
				int flags = header.get() & 0xff;
				byte[] id = new byte[flags & 0x0f];
				header.get(id);
				long in = 1;
				long out = 1;
				if ((flags & 0x10) != 0) {
					in = count(header);
					out = count(header);
				}
				byte[] properties = new byte[0];
				if ((flags & 0x20) != 0) {
					properties = new byte[(int) count(header)];
					header.get(properties);
				}
				if ((flags & 0x80) != 0) {
					throw new IllegalArgumentException("alternative methods");
				}
				inputs += in;
				outputs[folder] += out;
				memoryKiB += memoryKiB(id, properties);
			}
			long bindPairs = outputs[folder] - 1;
			for (long pair = 0; pair < bindPairs; pair++) {
				number(header);
				number(header);
			}
			long packed = inputs - bindPairs;
			if (packed > 1) {
				for (long stream = 0; stream < packed; stream++) {
					number(header);
				}
			}
		}
		if ((header.get() & 0xff) != K_CODERS_UNPACK_SIZE) {
			throw new IllegalArgumentException("no unpack sizes");
		}
		for (long out : outputs) {
			for (long i = 0; i < out; i++) {
				long unpackSize = number(header);
				if (unpackSize < 0 || unpackSize > MAX_HEADER_BYTES) {
					throw headerTooLarge();
				}
			}
		}
		int nid = header.get() & 0xff;
		while (nid != K_END) {
			if (nid != K_CRC) {
				throw new IllegalArgumentException("unexpected unpack property " + nid);
			}
			digests(header, folders);
			nid = header.get() & 0xff;
		}
		return memoryKiB;
	}

	/** What a coder's dictionary needs, as the decoder will check it; other coders need little. */
	private static long memoryKiB(byte[] id, byte[] properties) throws IOException {
		if (Arrays.equals(id, LZMA) && properties.length >= 5) {
			long dictionary = Integer.toUnsignedLong(ByteBuffer.wrap(properties, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
			if (dictionary > LZMAInputStream.DICT_SIZE_MAX) {
				return Long.MAX_VALUE / 4;
			}
			return LZMAInputStream.getMemoryUsage((int) dictionary, properties[0]);
		}
		if (Arrays.equals(id, LZMA2) && properties.length >= 1) {
			int bits = properties[0] & 0x3f;
			if (bits > 40) {
				throw new IllegalArgumentException("bad LZMA2 dictionary");
			}
			long dictionary = bits == 40 ? 0xFFFFFFFFL : (2L | (bits & 1)) << (bits / 2 + 11);
			if (dictionary > LZMA2InputStream.DICT_SIZE_MAX) {
				return Long.MAX_VALUE / 4;
			}
			return LZMA2InputStream.getMemoryUsage((int) dictionary);
		}
		return 0;
	}

	private static void digests(ByteBuffer header, long items) {
		long defined = items;
		if (header.get() == 0) {
			defined = 0;
			int mask = 0;
			int cache = 0;
			for (long i = 0; i < items; i++) {
				if (mask == 0) {
					mask = 0x80;
					cache = header.get() & 0xff;
				}
				if ((cache & mask) != 0) {
					defined++;
				}
				mask >>>= 1;
			}
		}
		for (long i = 0; i < defined; i++) {
			header.getInt();
		}
	}

	/** A count of things each described by at least one byte of the (small) description. */
	private static long count(ByteBuffer header) {
		long count = number(header);
		if (count < 0 || count > MAX_DESCRIPTION_BYTES) {
			throw new IllegalArgumentException("count out of range");
		}
		return count;
	}

	/** 7z's variable-length number: the leading one bits of the first byte count the bytes that follow. */
	private static long number(ByteBuffer header) {
		int first = header.get() & 0xff;
		int mask = 0x80;
		long value = 0;
		for (int i = 0; i < 8; i++) {
			if ((first & mask) == 0) {
				return value | ((long) (first & (mask - 1)) << (8 * i));
			}
			value |= (header.get() & 0xffL) << (8 * i);
			mask >>>= 1;
		}
		return value;
	}

	private static RejectedInputException headerTooLarge() {
		return new RejectedInputException("The archive's header is larger than " + (MAX_HEADER_BYTES / 1024 / 1024)
				+ " MB; it was refused.");
	}

	private static ByteBuffer read(SeekableByteChannel channel, long from, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
		channel.position(from);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				throw new RejectedInputException("The archive is damaged or truncated.");
			}
		}
		buffer.flip();
		return buffer;
	}

}
