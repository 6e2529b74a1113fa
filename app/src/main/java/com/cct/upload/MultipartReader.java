package com.cct.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.http.ContentDisposition;
import org.springframework.web.multipart.MultipartException;

/**
 * Reads a {@code multipart/form-data} body part by part as it arrives, with one buffer of
 * {@value #BUFFER} bytes: large reads from the connection, a skipping delimiter search
 * ({@link BoundarySearch}) and part contents handed out as slices of that buffer, so a file part is
 * never spooled or held whole. A body that ends before its closing delimiter, or part headers longer
 * than the limit, are a {@link MultipartException} (400, as Tomcat's parser answered).
 */
final class MultipartReader {

	static final int BUFFER = 64 * 1024;

	private final InputStream in;

	private final BoundarySearch delimiter;

	private final int maxHeaderBytes;

	private final byte[] buf;

	private int pos;

	private int lim;

	/** Bytes before this index are known to be content of the current part. */
	private int known;

	/** Where the current part's delimiter starts in the buffer, once found; -1 before. */
	private int delimiterAt = -1;

	private boolean finished;

	private final PartContent content = new PartContent();

	MultipartReader(InputStream in, String boundary, int maxHeaderBytes) {
		if (boundary.isEmpty() || boundary.length() > 70) {
			throw new MultipartException("A multipart boundary has 1 to 70 characters.");
		}
		this.in = in;
		this.delimiter = new BoundarySearch(("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
		this.maxHeaderBytes = maxHeaderBytes;
		this.buf = new byte[BUFFER + this.delimiter.length()];
		// The first delimiter opens the body without a line break before it: pretend there is one, so
		// the preamble is read like the content of a part and skipped.
		this.buf[0] = '\r';
		this.buf[1] = '\n';
		this.lim = 2;
	}

	/** A part's name and, for a file, its file name (null for a plain field) and declared type. */
	record Part(String name, String fileName, String contentType) {

		boolean isFile() {
			return this.fileName != null;
		}

	}

	/**
	 * Skips what is left of the current part and reads the next part's headers; null after the
	 * closing delimiter. Its content is {@link #content()} until the next call.
	 */
	Part next() throws IOException {
		if (this.finished) {
			return null;
		}
		this.content.skipAll();
		this.pos = this.delimiterAt + this.delimiter.length();
		this.delimiterAt = -1;
		require(2);
		if (this.buf[this.pos] == '-' && this.buf[this.pos + 1] == '-') {
			this.finished = true;
			return null;
		}
		// RFC 2046 lets a sender pad the delimiter line with white space
		int padding = 0;
		while (this.buf[this.pos] == ' ' || this.buf[this.pos] == '\t') {
			this.pos++;
			if (++padding > this.maxHeaderBytes) {
				throw new MultipartException("A multipart delimiter line is too long.");
			}
			require(2);
		}
		if (this.buf[this.pos] != '\r' || this.buf[this.pos + 1] != '\n') {
			throw new MultipartException("A multipart delimiter is not followed by a line break.");
		}
		this.pos += 2;
		Part part = parseHeaders(readHeaders());
		this.known = this.pos;
		return part;
	}

	/** The current part's content, up to its delimiter. */
	InputStream content() {
		return this.content;
	}

	/** The current part's content as UTF-8 text of at most {@code maxBytes} bytes. */
	String text(int maxBytes) throws IOException {
		byte[] bytes = this.content.readNBytes(maxBytes + 1);
		if (bytes.length > maxBytes) {
			throw new MultipartException("A form field is longer than " + maxBytes + " bytes.");
		}
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private String readHeaders() throws IOException {
		require(2);
		if (this.buf[this.pos] == '\r' && this.buf[this.pos + 1] == '\n') {
			// a part without headers
			this.pos += 2;
			return "";
		}
		// start positions after pos already looked at, kept across fills (which move the bytes)
		int scanned = 0;
		while (true) {
			for (int i = this.pos + scanned; i + 3 < this.lim; i++) {
				if (this.buf[i] == '\r' && this.buf[i + 1] == '\n' && this.buf[i + 2] == '\r' && this.buf[i + 3] == '\n') {
					if (i - this.pos > this.maxHeaderBytes) {
						break;
					}
					String headers = new String(this.buf, this.pos, i - this.pos, StandardCharsets.UTF_8);
					this.pos = i + 4;
					return headers;
				}
			}
			if (this.lim - this.pos > this.maxHeaderBytes) {
				throw new MultipartException("The headers of a part are longer than " + this.maxHeaderBytes + " bytes.");
			}
			scanned = Math.max(0, this.lim - 3 - this.pos);
			fill();
		}
	}

	private static Part parseHeaders(String block) {
		String disposition = null;
		String type = null;
		for (String line : block.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).strip();
			if (name.equals("content-disposition")) {
				disposition = value;
			}
			else if (name.equals("content-type")) {
				type = value;
			}
		}
		if (disposition == null) {
			return new Part(null, null, type);
		}
		try {
			// the parser Spring's own multipart request uses, so names decode exactly as before
			ContentDisposition parsed = ContentDisposition.parse(disposition);
			return new Part(parsed.getName(), parsed.getFilename(), type);
		}
		catch (IllegalArgumentException ex) {
			throw new MultipartException("A part's Content-Disposition is malformed.", ex);
		}
	}

	/** At least {@code count} bytes buffered after {@link #pos}. */
	private void require(int count) throws IOException {
		while (this.lim - this.pos < count) {
			fill();
		}
	}

	/** Moves what is left to the buffer's start and reads as much as the connection has. */
	private void fill() throws IOException {
		if (this.pos > 0) {
			System.arraycopy(this.buf, this.pos, this.buf, 0, this.lim - this.pos);
			this.lim -= this.pos;
			this.known = Math.max(0, this.known - this.pos);
			if (this.delimiterAt >= 0) {
				this.delimiterAt -= this.pos;
			}
			this.pos = 0;
		}
		int read = this.in.read(this.buf, this.lim, this.buf.length - this.lim);
		if (read < 0) {
			throw new MultipartException("The upload ended before its closing multipart delimiter.");
		}
		this.lim += read;
	}

	/** Content bytes ready at {@link #pos}; 0 at the end of the part. */
	private int contentReady() throws IOException {
		while (true) {
			if (this.delimiterAt >= 0) {
				return this.delimiterAt - this.pos;
			}
			if (this.known > this.pos) {
				return this.known - this.pos;
			}
			int found = this.delimiter.indexOf(this.buf, Math.max(this.pos, this.known), this.lim);
			if (found >= 0) {
				this.delimiterAt = found;
				continue;
			}
			// a delimiter may still start in the last length-1 bytes
			int safe = this.lim - (this.delimiter.length() - 1);
			if (safe > this.pos) {
				this.known = safe;
				continue;
			}
			fill();
		}
	}

	private final class PartContent extends InputStream {

		@Override
		public int read() throws IOException {
			if (contentReady() == 0) {
				return -1;
			}
			return buf[pos++] & 0xff;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (len == 0) {
				return 0;
			}
			int ready = contentReady();
			if (ready == 0) {
				return -1;
			}
			int n = Math.min(ready, len);
			System.arraycopy(buf, pos, b, off, n);
			pos += n;
			return n;
		}

		/** Writes the rest of the part straight from the reader's buffer: no copy on the way. */
		@Override
		public long transferTo(OutputStream out) throws IOException {
			long total = 0;
			for (int ready = contentReady(); ready > 0; ready = contentReady()) {
				out.write(buf, pos, ready);
				pos += ready;
				total += ready;
			}
			return total;
		}

		void skipAll() throws IOException {
			for (int ready = contentReady(); ready > 0; ready = contentReady()) {
				pos += ready;
			}
		}

	}

}
