package com.cct.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Archives whose headers are built to exhaust a reader's memory, written byte by byte at test time
 * (never kept in git). The big ones declare 1.5 GB of name or header, padded with 1.5 GB of one
 * repeated byte that deflates to a few MB; the deflated padding is computed once and shared, since a
 * deflate stream that was fully flushed does not refer back past the flush.
 */
final class HostileArchives {

	/** The body of each hostile tar entry or 7z header: 1.5 GB, a whole number of tar records. */
	static final long BODY = 1_500_000_256L;

	static final int PAYLOAD = 22 * 1024 * 1024;

	private static final byte FILL = 'a';

	private static byte[] deflatedPadding;

	private HostileArchives() {
	}

	// --- tar.gz

	/**
	 * A tar.gz whose first entry is a special header of {@code type} ({@code L}, {@code K}, {@code x},
	 * {@code g}) declaring a 1.5 GB body, followed by a real file of 22 MB random bytes in a second gzip
	 * member, which makes the upload big enough for the compression-ratio allowance to cover 1.5 GB.
	 */
	static Path tarGzWithSpecialHeader(Path folder, String fileName, char type) throws IOException {
		ByteArrayOutputStream prefix = new ByteArrayOutputStream();
		if (type == 'x' || type == 'g') {
			long record = 512 + BODY;
			String start = record + " path=";
			prefix.writeBytes(tarHeader("PaxHeaders/payload.bin", record, type));
			prefix.writeBytes(start.getBytes(StandardCharsets.US_ASCII));
			prefix.writeBytes(filled(512 - start.length()));
		}
		else {
			prefix.writeBytes(tarHeader("././@LongLink", BODY, type));
		}
		Path file = folder.resolve(fileName);
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(gzipMember(prefix.toByteArray()));
			out.write(randomPayloadMember());
		}
		return file;
	}

	/** A tar.gz whose gzip header carries a file name of {@code nameBytes} bytes (no terminating zero for a long way). */
	static Path tarGzWithLongGzipName(Path folder, String fileName, int nameBytes) throws IOException {
		ByteArrayOutputStream tar = new ByteArrayOutputStream();
		tar.writeBytes(tarHeader("hello.txt", 6, '0'));
		tar.writeBytes(Arrays.copyOf("hello\n".getBytes(StandardCharsets.US_ASCII), 512));
		tar.writeBytes(new byte[1024]);
		byte[] plain = tar.toByteArray();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, (byte) 0xff });
		out.writeBytes(filled(nameBytes));
		out.write(0);
		out.writeBytes(deflate(plain, true));
		out.writeBytes(trailer(crc(plain), plain.length));
		Path file = folder.resolve(fileName);
		Files.write(file, out.toByteArray());
		return file;
	}

	// --- zip

	/** A one-file zip whose zip64 end record claims 50 million entries. */
	static Path zipClaimingMillionsOfEntries(Path folder, String fileName) throws IOException {
		byte[] data = "hello\n".getBytes(StandardCharsets.US_ASCII);
		byte[] name = "hello.txt".getBytes(StandardCharsets.US_ASCII);
		ByteBuffer zip = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
		localHeader(zip, name, data);
		int directory = zip.position();
		centralHeader(zip, name, data.length, crc(data), 0);
		int directoryLength = zip.position() - directory;
		int zip64End = zip.position();
		zip.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0);
		zip.putLong(50_000_000L).putLong(50_000_000L).putLong(directoryLength).putLong(directory);
		zip.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
		zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff).putShort((short) 0xffff);
		zip.putInt(0xffffffff).putInt(0xffffffff).putShort((short) 0);
		Path file = folder.resolve(fileName);
		Files.write(file, Arrays.copyOf(zip.array(), zip.position()));
		return file;
	}

	/** A zip with one stored file and a central directory of {@code records} real (tiny) records, all pointing at it. */
	static Path zipWithHugeDirectory(Path folder, String fileName, int records) throws IOException {
		byte[] data = "hello\n".getBytes(StandardCharsets.US_ASCII);
		byte[] first = "hello.txt".getBytes(StandardCharsets.US_ASCII);
		ByteBuffer zip = ByteBuffer.allocate(64 + records * 54 + 64).order(ByteOrder.LITTLE_ENDIAN);
		localHeader(zip, first, data);
		int directory = zip.position();
		for (int i = 0; i < records; i++) {
			centralHeader(zip, String.format("n%07d", i).getBytes(StandardCharsets.US_ASCII), data.length, crc(data), 0);
		}
		int directoryLength = zip.position() - directory;
		// the end record claims a single entry: only walking the directory tells
		zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1);
		zip.putInt(directoryLength).putInt(directory).putShort((short) 0);
		Path file = folder.resolve(fileName);
		Files.write(file, Arrays.copyOf(zip.array(), zip.position()));
		return file;
	}

	/** A zip of one file at {@code depth} nested one-letter folders. */
	static Path zipNestedFolders(Path folder, String fileName, int depth) throws IOException {
		byte[] data = "deep\n".getBytes(StandardCharsets.US_ASCII);
		byte[] name = ("a/".repeat(depth) + "deep.txt").getBytes(StandardCharsets.US_ASCII);
		ByteBuffer zip = ByteBuffer.allocate(3 * name.length + 256).order(ByteOrder.LITTLE_ENDIAN);
		localHeader(zip, name, data);
		int directory = zip.position();
		centralHeader(zip, name, data.length, crc(data), 0);
		int directoryLength = zip.position() - directory;
		zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1);
		zip.putInt(directoryLength).putInt(directory).putShort((short) 0);
		Path file = folder.resolve(fileName);
		Files.write(file, Arrays.copyOf(zip.array(), zip.position()));
		return file;
	}

	// --- 7z

	/** A 7z whose header is compressed (deflate) and unpacks to 1.5 GB. */
	static Path sevenZWithHeaderBomb(Path folder, String fileName) throws IOException {
		byte[] packed = deflatedPadding();
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		header.write(0x17);
		header.write(0x06);
		number(header, 0);
		number(header, 1);
		header.write(0x09);
		number(header, packed.length);
		header.write(0x00);
		header.write(0x07);
		header.write(0x0B);
		number(header, 1);
		header.write(0);
		number(header, 1);
		header.write(0x03);
		header.writeBytes(new byte[] { 4, 1, 8 });
		header.write(0x0C);
		number(header, BODY + 512);
		header.write(0x00);
		header.write(0x00);
		return sevenZ(folder, fileName, packed, header.toByteArray());
	}

	/** A 7z whose (compressed) header says it needs a 1.5 GB LZMA dictionary to unpack. */
	static Path sevenZWithHugeDictionary(Path folder, String fileName) throws IOException {
		byte[] packed = new byte[64];
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		header.write(0x17);
		header.write(0x06);
		number(header, 0);
		number(header, 1);
		header.write(0x09);
		number(header, packed.length);
		header.write(0x00);
		header.write(0x07);
		header.write(0x0B);
		number(header, 1);
		header.write(0);
		number(header, 1);
		header.write(0x23);
		header.writeBytes(new byte[] { 3, 1, 1 });
		number(header, 5);
		header.write(0x5D);
		header.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(1_500_000_000).array());
		header.write(0x0C);
		number(header, 1000);
		header.write(0x00);
		header.write(0x00);
		return sevenZ(folder, fileName, packed, header.toByteArray());
	}

	/** A 7z whose stored header lists {@code entries} empty, unnamed entries in three bytes each. */
	static Path sevenZListingManyEntries(Path folder, String fileName, int entries) throws IOException {
		ByteArrayOutputStream header = new ByteArrayOutputStream();
		header.write(0x01);
		header.write(0x05);
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
		return sevenZ(folder, fileName, new byte[0], header.toByteArray());
	}

	private static Path sevenZ(Path folder, String fileName, byte[] packed, byte[] header) throws IOException {
		ByteBuffer start = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
		start.putLong(packed.length).putLong(header.length).putInt((int) crc(header));
		ByteBuffer signature = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
		signature.put(new byte[] { '7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C, 0, 4 });
		signature.putInt((int) crc(start.array()));
		signature.put(start.array());
		Path file = folder.resolve(fileName);
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(signature.array());
			out.write(packed);
			out.write(header);
		}
		return file;
	}

	/** 7z's variable-length number: leading one bits of the first byte count the little-endian bytes after it. */
	private static void number(ByteArrayOutputStream out, long value) {
		for (int extra = 0; extra < 8; extra++) {
			if (value < (1L << (7 * (extra + 1)))) {
				int high = (int) (value >>> (8 * extra));
				out.write((0xff << (8 - extra)) & 0xff | high);
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

	// --- building blocks

	/** 1.5 GB of the fill byte, then a newline and the header of the 22 MB payload, deflated from scratch. */
	static synchronized byte[] deflatedPadding() {
		if (deflatedPadding == null) {
			Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] chunk = filled(1 << 20);
			byte[] buffer = new byte[64 * 1024];
			for (long left = BODY - 1; left > 0;) {
				int length = (int) Math.min(chunk.length, left);
				deflater.setInput(chunk, 0, length);
				left -= length;
				while (!deflater.needsInput()) {
					out.write(buffer, 0, deflater.deflate(buffer));
				}
			}
			deflater.setInput(paddingTail());
			deflater.finish();
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			deflater.end();
			deflatedPadding = out.toByteArray();
		}
		return deflatedPadding;
	}

	private static byte[] paddingTail() {
		ByteArrayOutputStream tail = new ByteArrayOutputStream();
		tail.write('\n');
		tail.writeBytes(tarHeader("payload.bin", PAYLOAD, '0'));
		return tail.toByteArray();
	}

	/** One gzip member: the prefix (fully flushed), then the shared padding. */
	private static byte[] gzipMember(byte[] prefix) {
		CRC32 crc = new CRC32();
		crc.update(prefix);
		byte[] chunk = filled(1 << 20);
		for (long left = BODY - 1; left > 0;) {
			int length = (int) Math.min(chunk.length, left);
			crc.update(chunk, 0, length);
			left -= length;
		}
		byte[] tail = paddingTail();
		crc.update(tail);
		ByteArrayOutputStream member = new ByteArrayOutputStream();
		member.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff });
		member.writeBytes(deflate(prefix, false));
		member.writeBytes(deflatedPadding());
		member.writeBytes(trailer(crc.getValue(), prefix.length + BODY - 1 + tail.length));
		return member.toByteArray();
	}

	/** The payload's 22 MB of random bytes and the end of the tar, as a gzip member of its own. */
	private static byte[] randomPayloadMember() {
		byte[] plain = new byte[PAYLOAD + 1024];
		new Random(42).nextBytes(plain);
		Arrays.fill(plain, PAYLOAD, plain.length, (byte) 0);
		ByteArrayOutputStream member = new ByteArrayOutputStream();
		member.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff });
		Deflater deflater = new Deflater(Deflater.NO_COMPRESSION, true);
		member.writeBytes(deflate(deflater, plain, true));
		member.writeBytes(trailer(crc(plain), plain.length));
		return member.toByteArray();
	}

	/** Raw deflate of {@code plain}: finished, or ended with a full flush so that more blocks may follow. */
	private static byte[] deflate(byte[] plain, boolean finish) {
		return deflate(new Deflater(Deflater.BEST_SPEED, true), plain, finish);
	}

	private static byte[] deflate(Deflater deflater, byte[] plain, boolean finish) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		deflater.setInput(plain);
		if (finish) {
			deflater.finish();
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
		}
		else {
			int written;
			do {
				written = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
				out.write(buffer, 0, written);
			}
			while (written == buffer.length || !deflater.needsInput());
		}
		deflater.end();
		return out.toByteArray();
	}

	private static byte[] trailer(long crc, long size) {
		return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc).putInt((int) size).array();
	}

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
		Arrays.fill(block, 148, 156, (byte) ' ');
		long sum = 0;
		for (byte b : block) {
			sum += b & 0xff;
		}
		octal(block, 148, 7, sum);
		return block;
	}

	private static void octal(byte[] block, int offset, int length, long value) {
		String digits = Long.toOctalString(value);
		String padded = "0".repeat(length - 1 - digits.length()) + digits;
		System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
		block[offset + length - 1] = 0;
	}

	private static void localHeader(ByteBuffer zip, byte[] name, byte[] data) {
		zip.putInt(0x04034b50).putShort((short) 10).putShort((short) 0x0800).putShort((short) 0).putInt(0);
		zip.putInt((int) crc(data)).putInt(data.length).putInt(data.length).putShort((short) name.length).putShort((short) 0);
		zip.put(name).put(data);
	}

	private static void centralHeader(ByteBuffer zip, byte[] name, int size, long crc, int localOffset) {
		zip.putInt(0x02014b50).putShort((short) 0x031e).putShort((short) 10).putShort((short) 0x0800).putShort((short) 0);
		zip.putInt(0).putInt((int) crc).putInt(size).putInt(size).putShort((short) name.length).putShort((short) 0);
		zip.putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0100644 << 16).putInt(localOffset);
		zip.put(name);
	}

	private static byte[] filled(int length) {
		byte[] bytes = new byte[length];
		Arrays.fill(bytes, FILL);
		return bytes;
	}

	private static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

}
