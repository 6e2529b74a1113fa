package com.cct.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP/1.1 answers read off a raw socket, for tests that must control the bytes on the wire (a body
 * sent in part, a connection used for several requests) where the JDK client would hide them.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** One answer: its status, its head (status line and headers, as sent) and its body. */
	public record Answer(int status, String head, byte[] body) {

		/** The value of a header, or null; names are matched case-insensitively. */
		public String header(String name) {
			String prefix = "\r\n" + name.toLowerCase(Locale.ROOT) + ":";
			String lower = this.head.toLowerCase(Locale.ROOT);
			int at = lower.indexOf(prefix);
			return at < 0 ? null : this.head.substring(at + prefix.length(), this.head.indexOf('\r', at + 2)).strip();
		}

		/** Whether the server says it closes the connection after this answer. */
		public boolean closesConnection() {
			String connection = header("Connection");
			return connection != null && connection.equalsIgnoreCase("close");
		}

		public String text() {
			return this.head + new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/** An answer to a request written by hand, with how many of the request's bytes went out before it. */
	public record Exchange(int status, String head, byte[] body, long bytesSent) {

		public Exchange(Answer answer, long bytesSent) {
			this(answer.status(), answer.head(), answer.body(), bytesSent);
		}

		public String text() {
			return this.head + new String(this.body, StandardCharsets.UTF_8);
		}

		public JsonNode json() throws IOException {
			return new ObjectMapper().readTree(this.body);
		}

	}

	/**
	 * Status line and headers, then a body framed by chunks, Content-Length or the connection's end.
	 * A connection that ends before the first byte is an {@link EOFException}.
	 */
	public static Answer read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException(head.size() == 0 ? "the connection was closed before an answer"
						: "the connection was closed inside an answer's head: " + head.toString(StandardCharsets.ISO_8859_1));
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
		}
		String headers = head.toString(StandardCharsets.ISO_8859_1);
		Answer bare = new Answer(Integer.parseInt(headers.substring(9, 12)), headers, new byte[0]);
		String encoding = bare.header("Transfer-Encoding");
		String length = bare.header("Content-Length");
		byte[] body;
		if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			ByteArrayOutputStream chunks = new ByteArrayOutputStream();
			for (int n = chunkSize(in); n > 0; n = chunkSize(in)) {
				chunks.write(in.readNBytes(n));
				in.readNBytes(2);
			}
			chunkSize(in); // the empty line after the last chunk
			body = chunks.toByteArray();
		}
		else if (length != null) {
			body = in.readNBytes(Integer.parseInt(length));
		}
		else if (bare.status() == 204 || bare.status() == 304 || bare.status() / 100 == 1) {
			body = new byte[0];
		}
		else {
			body = in.readAllBytes();
		}
		return new Answer(bare.status(), headers, body);
	}

	private static int chunkSize(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
			if (b != '\r') {
				line.append((char) b);
			}
		}
		String hex = line.toString().split(";")[0].trim();
		return hex.isEmpty() ? 0 : Integer.parseInt(hex, 16);
	}

}
