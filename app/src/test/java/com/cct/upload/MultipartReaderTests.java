package com.cct.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.web.multipart.MultipartException;

class MultipartReaderTests {

	private static final String BOUNDARY = "----cct7MA4YWxkTrZu0gW";

	@Test
	void readsFieldsAndAFileWhateverTheReadSizes() throws IOException {
		byte[] file = random(3 * MultipartReader.BUFFER + 17, 1);
		byte[] body = body(file);
		for (int readSize : new int[] { 1, 2, 3, 7, 13, 37, 64, 100, 4096, 65536, 1 << 20 }) {
			List<Object> parts = readAll(new MultipartReader(trickle(body, readSize), BOUNDARY, 8192));

			assertThat(parts).as("reads of %d bytes", readSize).hasSize(4);
			assertThat(parts.get(0)).isEqualTo("newFormat=ogg");
			assertThat(parts.get(1)).isEqualTo("notify=false");
			assertThat(parts.get(2)).isEqualTo("fileName:song.mp3:audio/mpeg");
			assertThat((byte[]) parts.get(3)).isEqualTo(file);
		}
	}

	@Test
	void findsTheDelimiterAtEveryOffsetOfAReadAndOfTheBuffer() throws IOException {
		// the file's end, and so its delimiter, falls on every offset around one read's and one buffer's end
		int readSize = 1000;
		for (int length = MultipartReader.BUFFER - 2 * readSize; length <= MultipartReader.BUFFER + 200; length++) {
			if (length % readSize > 120 && length % readSize < readSize - 120 && Math.abs(length - MultipartReader.BUFFER) > 120) {
				continue;
			}
			byte[] file = random(length, length);
			List<Object> parts = readAll(new MultipartReader(trickle(body(file), readSize), BOUNDARY, 8192));

			assertThat((byte[]) parts.get(3)).as("a file of %d bytes", length).isEqualTo(file);
		}
	}

	@Test
	void keepsBoundaryLikeBytesInsideTheFile() throws IOException {
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		file.writeBytes(random(1000, 2));
		// the boundary without its line break, a line break with a cut boundary, and one wrong last byte
		file.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
		file.writeBytes(("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1)).getBytes(StandardCharsets.ISO_8859_1));
		file.writeBytes(("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X").getBytes(StandardCharsets.ISO_8859_1));
		file.writeBytes(("\r\r\n--" + BOUNDARY.substring(1)).getBytes(StandardCharsets.ISO_8859_1));
		file.writeBytes(random(1000, 3));
		for (int readSize : new int[] { 1, 5, 30, 65536 }) {
			List<Object> parts = readAll(new MultipartReader(trickle(body(file.toByteArray()), readSize), BOUNDARY, 8192));

			assertThat((byte[]) parts.get(3)).isEqualTo(file.toByteArray());
		}
	}

	@Test
	void aBodyWithoutItsClosingDelimiterIsUnreadable() {
		byte[] body = body(random(100_000, 4));
		byte[] truncated = java.util.Arrays.copyOf(body, body.length - 10);

		assertThatThrownBy(() -> readAll(new MultipartReader(new ByteArrayInputStream(truncated), BOUNDARY, 8192)))
			.isInstanceOf(MultipartException.class)
			.hasMessageContaining("ended before");
	}

	@Test
	void partHeadersOverTheLimitAreUnreadable() {
		String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\""
				+ "a".repeat(9000) + ".mp3\"\r\n\r\nabc\r\n--" + BOUNDARY + "--\r\n";

		assertThatThrownBy(() -> readAll(new MultipartReader(
				trickle(head.getBytes(StandardCharsets.UTF_8), 100), BOUNDARY, 8192)))
			.isInstanceOf(MultipartException.class)
			.hasMessageContaining("headers");
	}

	@Test
	void skipsThePreambleAndReadsMultiByteFileNames() throws IOException {
		String body = "a preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"é 歌.mp3\"\r\n\r\n"
				+ "x\r\n--" + BOUNDARY + "--\r\nan epilogue";
		MultipartReader reader = reader(body);

		MultipartReader.Part part = reader.next();

		assertThat(part.name()).isEqualTo("file");
		assertThat(part.fileName()).isEqualTo("é 歌.mp3");
		assertThat(reader.content().readAllBytes()).containsExactly('x');
		assertThat(reader.next()).isNull();
	}

	@Test
	void anEmptyFilePartHasNoBytes() throws IOException {
		String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n\r\n"
				+ "\r\n--" + BOUNDARY + "--\r\n";
		MultipartReader reader = reader(body);

		assertThat(reader.next().isFile()).isTrue();
		assertThat(reader.content().read()).isEqualTo(-1);
		assertThat(reader.next()).isNull();
	}

	@Test
	void aFieldOverItsLimitIsUnreadable() throws IOException {
		String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\n" + "x".repeat(100)
				+ "\r\n--" + BOUNDARY + "--\r\n";
		MultipartReader reader = reader(body);
		reader.next();

		assertThatThrownBy(() -> reader.text(99)).isInstanceOf(MultipartException.class);
	}

	// --- helpers

	private static MultipartReader reader(String body) {
		return new MultipartReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), BOUNDARY, 8192);
	}

	private static List<Object> readAll(MultipartReader reader) throws IOException {
		List<Object> parts = new ArrayList<>();
		for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
			if (part.isFile()) {
				parts.add(part.name() + ":" + part.fileName() + ":" + part.contentType());
				parts.add(reader.content().readAllBytes());
			}
			else {
				parts.add(part.name() + "=" + reader.text(1000));
			}
		}
		return parts;
	}

	static byte[] body(byte[] file) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nogg\r\n" + "--"
				+ BOUNDARY + "  \r\nContent-Disposition: form-data; name=\"notify\"\r\n\r\nfalse\r\n" + "--" + BOUNDARY
				+ "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"song.mp3\"\r\n"
				+ "Content-Type: audio/mpeg\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
		return body.toByteArray();
	}

	private static byte[] random(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** A stream whose reads bring at most {@code size} bytes, as a slow connection's do. */
	static InputStream trickle(byte[] bytes, int size) {
		return new FilterInputStream(new ByteArrayInputStream(bytes)) {
			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return super.read(b, off, Math.min(len, size));
			}
		};
	}

}
