package com.cct.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Archive bytes written by hand, for the headers no well-behaved writer produces: tar records with
 * huge declared sizes, gzip members with huge names, zip end records that lie, 7z headers that claim
 * too much. All made at test time.
 */
final class HostileInputs {

	private HostileInputs() {
	}

	// --- tar

	/** A ustar header block with octal fields and a valid checksum. */
	static byte[] tarHeader(String name, long size, char type) {
		byte[] block = new byte[512];
		byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
		System.arraycopy(nameBytes, 0, block, 0, Math.min(100, nameBytes.length));
		octal(block, 100, 8, 0644);
		octal(block, 108, 8, 0);
		octal(block, 116, 8, 0);
		octal(block, 124, 12, size);
		octal(block, 136, 12, 1_700_000_000L);
		block[156] = (byte) type;
		System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 8);
		return withChecksum(block);
	}

	/** The header block with its checksum field computed again, after a change. */
	static byte[] withChecksum(byte[] block) {
		Arrays.fill(block, 148, 156, (byte) ' ');
		long sum = 0;
		for (byte b : block) {
			sum += b & 0xff;
		}
		octal(block, 148, 7, sum);
		return block;
	}

	/** One PAX record, {@code "length key=value\n"}, its length counting itself. */
	static byte[] paxRecord(String key, String value) {
		String body = " " + key + "=" + value + "\n";
		int length = body.getBytes(StandardCharsets.UTF_8).length;
		int digits = Integer.toString(length).length();
		if (Integer.toString(length + digits).length() > digits) {
			digits++;
		}
		return ((length + digits) + body).getBytes(StandardCharsets.UTF_8);
	}

	/** Bytes padded with zeros to a whole number of 512-byte records. */
	static byte[] padded(byte[] bytes) {
		return Arrays.copyOf(bytes, (bytes.length + 511) / 512 * 512);
	}

	/** Writes {@code length} bytes of one letter, a buffer at a time. */
	static void fill(OutputStream out, long length) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		Arrays.fill(buffer, (byte) 'a');
		for (long left = length; left > 0; left -= buffer.length) {
			out.write(buffer, 0, (int) Math.min(buffer.length, left));
		}
	}

	interface TarBody {

		void write(OutputStream tar) throws IOException;

	}

	/** A gzip-compressed stream of hand-written tar records. */
	static void tarGz(Path path, TarBody body) throws IOException {
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path), 64 * 1024)) {
			body.write(out);
		}
	}

	/** A regular file entry with its data, padded, and the end of the archive. */
	static void fileAndEnd(OutputStream tar, String name, byte[] data) throws IOException {
		tar.write(tarHeader(name, data.length, '0'));
		tar.write(padded(data));
		tar.write(new byte[1024]);
	}

	/** A gzip member whose header carries a file name of {@code nameBytes} letters, around a small tar. */
	static void tarGzWithLongGzipName(Path path, int nameBytes) throws IOException {
		ByteArrayOutputStream tar = new ByteArrayOutputStream();
		fileAndEnd(tar, "hello.txt", "hello\n".getBytes(StandardCharsets.US_ASCII));
		byte[] plain = tar.toByteArray();
		try (OutputStream out = Files.newOutputStream(path)) {
			out.write(new byte[] { 0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, (byte) 0xff });
			fill(out, nameBytes);
			out.write(0);
			Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
			deflater.setInput(plain);
			deflater.finish();
			byte[] buffer = new byte[64 * 1024];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			deflater.end();
			out.write(littleEndian(8).putInt((int) crc(plain)).putInt(plain.length).array());
		}
	}

	// --- zip

	/** A stored one-file zip whose directory holds {@code records} records while its end record claims {@code claimed}. */
	static void zipWithDirectory(Path path, int records, int claimed) throws IOException {
		byte[] data = "hello\n".getBytes(StandardCharsets.US_ASCII);
		ByteBuffer zip = littleEndian(128 + records * 54);
		localHeader(zip, "hello.txt".getBytes(StandardCharsets.US_ASCII), data);
		int directory = zip.position();
		for (int i = 0; i < records; i++) {
			centralHeader(zip, String.format("n%07d", i).getBytes(StandardCharsets.US_ASCII), data, 0);
		}
		int length = zip.position() - directory;
		zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) claimed).putShort((short) claimed);
		zip.putInt(length).putInt(directory).putShort((short) 0);
		Files.write(path, Arrays.copyOf(zip.array(), zip.position()));
	}

	/** A one-file zip whose zip64 end record claims {@code claimed} entries. */
	static void zip64Claiming(Path path, long claimed) throws IOException {
		byte[] data = "hello\n".getBytes(StandardCharsets.US_ASCII);
		byte[] name = "hello.txt".getBytes(StandardCharsets.US_ASCII);
		ByteBuffer zip = littleEndian(1024);
		localHeader(zip, name, data);
		int directory = zip.position();
		centralHeader(zip, name, data, 0);
		int length = zip.position() - directory;
		int zip64End = zip.position();
		zip.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0);
		zip.putLong(claimed).putLong(claimed).putLong(length).putLong(directory);
		zip.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
		zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff).putShort((short) 0xffff);
		zip.putInt(0xffffffff).putInt(0xffffffff).putShort((short) 0);
		Files.write(path, Arrays.copyOf(zip.array(), zip.position()));
	}

	private static void localHeader(ByteBuffer zip, byte[] name, byte[] data) {
		zip.putInt(0x04034b50).putShort((short) 10).putShort((short) 0x0800).putShort((short) 0).putInt(0);
		zip.putInt((int) crc(data)).putInt(data.length).putInt(data.length).putShort((short) name.length).putShort((short) 0);
		zip.put(name).put(data);
	}

	private static void centralHeader(ByteBuffer zip, byte[] name, byte[] data, int localOffset) {
		zip.putInt(0x02014b50).putShort((short) 0x031e).putShort((short) 10).putShort((short) 0x0800).putShort((short) 0);
		zip.putInt(0).putInt((int) crc(data)).putInt(data.length).putInt(data.length).putShort((short) name.length);
		zip.putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0100644 << 16);
		zip.putInt(localOffset).put(name);
	}

	// --- 7z

	/** A 7z of a signature header, packed streams and a next header, as given. */
	static void sevenZ(Path path, byte[] packed, byte[] header) throws IOException {
		sevenZ(path, packed, header, header.length);
	}

	/** The same with the next header's size stated as {@code declaredHeaderSize}. */
	static void sevenZ(Path path, byte[] packed, byte[] header, long declaredHeaderSize) throws IOException {
		ByteBuffer start = littleEndian(20).putLong(packed.length).putLong(declaredHeaderSize).putInt((int) crc(header));
		ByteBuffer signature = littleEndian(32);
		signature.put(new byte[] { '7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C, 0, 4 });
		signature.putInt((int) crc(start.array())).put(start.array());
		try (OutputStream out = Files.newOutputStream(path)) {
			out.write(signature.array());
			out.write(packed);
			out.write(header);
		}
	}

	/**
	 * An encoded 7z header: one packed stream of {@code packedLength} bytes, decoded by one coder
	 * ({@code flags}, {@code id}, {@code properties}) to {@code unpackSize} bytes.
	 */
	static byte[] encodedHeader(long packedLength, int flags, byte[] id, byte[] properties, long unpackSize) {
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		header.writeBytes(new byte[] { 0x17, 0x06 });
		number(header, 0);
		number(header, 1);
		header.write(0x09);
		number(header, packedLength);
		header.writeBytes(new byte[] { 0x00, 0x07, 0x0B });
		number(header, 1);
		header.write(0);
		number(header, 1);
		header.write(flags);
		header.writeBytes(id);
		if (properties != null) {
			number(header, properties.length);
			header.writeBytes(properties);
		}
		header.write(0x0C);
		number(header, unpackSize);
		header.writeBytes(new byte[] { 0x00, 0x00 });
		return header.toByteArray();
	}

	/** A stored 7z header listing {@code entries} empty, unnamed entries in three bytes each. */
	static byte[] headerListingEmptyEntries(int entries) {
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		header.writeBytes(new byte[] { 0x01, 0x05 });
		number(header, entries);
		header.write(0x0E);
		int bits = (entries + 7) / 8;
		number(header, bits);
		byte[] all = new byte[bits];
		Arrays.fill(all, (byte) 0xff);
		header.writeBytes(all);
		// empty names: without a property naming them, the entries would not even be built
		header.write(0x11);
		number(header, 1 + 2L * entries);
		header.write(0);
		header.writeBytes(new byte[2 * entries]);
		header.writeBytes(new byte[] { 0x00, 0x00 });
		return header.toByteArray();
	}

	/** 7z's variable-length number: leading one bits of the first byte count the little-endian bytes after it. */
	static void number(ByteArrayOutputStream out, long value) {
		for (int extra = 0; extra < 8; extra++) {
			if (value < (1L << (7 * (extra + 1)))) {
				out.write((0xff << (8 - extra)) & 0xff | (int) (value >>> (8 * extra)));
				for (int i = 0; i < extra; i++) {
					out.write((int) (value >>> (8 * i)));
				}
				return;
			}
		}
		out.write(0xff);
		for (int i = 0; i < 8; i++) {
			out.write((int) (value >>> (8 * i)));
		}
	}

	static ByteBuffer littleEndian(int capacity) {
		return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
	}

	static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

	private static void octal(byte[] block, int offset, int length, long value) {
		String digits = Long.toOctalString(value);
		String padded = "0".repeat(length - 1 - digits.length()) + digits;
		System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
		block[offset + length - 1] = 0;
	}

}
