package com.cct.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.cct.conversion.RejectedInputException;

/**
 * Commons Compress's tar reader, with bounds on what its header parsing can be made to hold. Version
 * 1.28 reads the body of a GNU long name or long link (typeflags {@code L}, {@code K}) and of every
 * PAX header ({@code x}, {@code g}) whole into memory, whatever size the header declares, and follows
 * a chain of such headers by recursion: one 25 MB upload declaring a 1.9 GB name was enough to exhaust
 * a 1 GB heap. Here, independently of how the library parses:
 * <ul>
 * <li>a long name or link may declare at most {@value #MAX_NAME_BYTES} bytes and a PAX header at most
 * {@value #MAX_PAX_BYTES}, checked before the first byte of its body is read;</li>
 * <li>at most {@value #MAX_HEADERS_PER_ENTRY} such headers may precede one entry;</li>
 * <li>everything read while looking for the next entry (its headers and their bodies, sparse maps,
 * padding) is capped at {@value #MAX_HEADER_BYTES_PER_ENTRY} bytes on the stream underneath, so no
 * other header shape can make the library buffer more either;</li>
 * <li>sparse files are refused: a PAX header naming a sparse map is refused as it is read, before the
 * map itself is parsed.</li>
 * </ul>
 */
final class BoundedTarInputStream extends TarArchiveInputStream {

	static final int MAX_NAME_BYTES = 64 * 1024;

	static final int MAX_PAX_BYTES = 1024 * 1024;

	static final int MAX_HEADERS_PER_ENTRY = 16;

	static final int MAX_HEADER_BYTES_PER_ENTRY = 4 * 1024 * 1024;

	// every PAX record is "length key=value\n": a sparse key always follows a space
	private static final byte[] SPARSE_KEY = " GNU.sparse.".getBytes(StandardCharsets.US_ASCII);

	private final HeaderMeter meter;

	private int depth;

	private TarArchiveEntry checked;

	private byte[] paxBody;

	private int paxLength;

	private BoundedTarInputStream(HeaderMeter meter) {
		// bytes kept as they are (one char each): EntryNames.ofTar decodes them, UTF-8 or else Latin-1
		super(meter, StandardCharsets.ISO_8859_1.name());
		this.meter = meter;
	}

	static BoundedTarInputStream over(InputStream plain) {
		return new BoundedTarInputStream(new HeaderMeter(plain));
	}

	@Override
	public TarArchiveEntry getNextEntry() throws IOException {
		// the library calls this method again for the entry behind each long name or PAX header
		if (this.depth >= MAX_HEADERS_PER_ENTRY) {
			throw new RejectedInputException("The archive has an entry with more than " + MAX_HEADERS_PER_ENTRY
					+ " extended headers; it was refused.");
		}
		if (this.depth == 0) {
			// what the caller left unread of the previous entry is data, not header: not metered
			if (getCurrentEntry() != null) {
				org.apache.commons.io.IOUtils.skip(this, Long.MAX_VALUE);
			}
			this.meter.limit(MAX_HEADER_BYTES_PER_ENTRY);
		}
		this.depth++;
		try {
			TarArchiveEntry entry = super.getNextEntry();
			if (this.depth == 1 && entry != null && entry.isSparse()) {
				throw sparse(EntryNames.ofTar(entry.getName()));
			}
			return entry;
		}
		finally {
			this.depth--;
			if (this.depth == 0) {
				this.meter.unlimited();
			}
		}
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		TarArchiveEntry entry = getCurrentEntry();
		if (entry != null && entry != this.checked) {
			this.checked = entry;
			started(entry);
		}
		int read = super.read(buffer, offset, length);
		if (read > 0 && this.paxBody != null) {
			scanPax(buffer, offset, read);
		}
		return read;
	}

	/** The library reads a special entry's body through {@link #read}: its declared size is checked first. */
	private void started(TarArchiveEntry entry) {
		this.paxBody = null;
		this.paxLength = 0;
		long size = entry.getSize();
		if (entry.isGNULongNameEntry() && (size < 0 || size > MAX_NAME_BYTES)) {
			throw new RejectedInputException("The archive has an entry name longer than " + (MAX_NAME_BYTES / 1024)
					+ " KB; it was refused.");
		}
		if (entry.isGNULongLinkEntry() && (size < 0 || size > MAX_NAME_BYTES)) {
			throw new RejectedInputException("The archive has a link target longer than " + (MAX_NAME_BYTES / 1024)
					+ " KB; it was refused.");
		}
		if (entry.isPaxHeader() || entry.isGlobalPaxHeader()) {
			if (size < 0 || size > MAX_PAX_BYTES) {
				throw new RejectedInputException("The archive has an extended (PAX) header larger than "
						+ (MAX_PAX_BYTES / 1024 / 1024) + " MB; it was refused.");
			}
			this.paxBody = new byte[(int) size];
		}
	}

	private void scanPax(byte[] buffer, int offset, int read) {
		int copied = Math.min(read, this.paxBody.length - this.paxLength);
		System.arraycopy(buffer, offset, this.paxBody, this.paxLength, copied);
		int from = Math.max(0, this.paxLength - SPARSE_KEY.length + 1);
		this.paxLength += copied;
		for (int start = from; start + SPARSE_KEY.length <= this.paxLength; start++) {
			if (matchesSparseKey(start)) {
				throw sparse(null);
			}
		}
	}

	private boolean matchesSparseKey(int start) {
		for (int i = 0; i < SPARSE_KEY.length; i++) {
			if (this.paxBody[start + i] != SPARSE_KEY[i]) {
				return false;
			}
		}
		return true;
	}

	private static RejectedInputException sparse(String name) {
		String which = name == null ? "an entry" : "the entry '" + EntryNames.display(name) + "'";
		return new RejectedInputException("The archive stores " + which
				+ " as a sparse file, which this service does not unpack; it was refused.");
	}

	/**
	 * The decompressed stream under the tar reader: unlimited while entry data is read, capped while
	 * the reader looks for the next entry.
	 */
	static final class HeaderMeter extends FilterInputStream {

		private long remaining = Long.MAX_VALUE;

		HeaderMeter(InputStream in) {
			super(in);
		}

		void limit(long bytes) {
			this.remaining = bytes;
		}

		void unlimited() {
			this.remaining = Long.MAX_VALUE;
		}

		@Override
		public int read() throws IOException {
			checkRemaining();
			int read = this.in.read();
			if (read >= 0) {
				this.remaining--;
			}
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			checkRemaining();
			int read = this.in.read(buffer, offset, (int) Math.min(length, this.remaining));
			if (read > 0) {
				this.remaining -= read;
			}
			return read;
		}

		@Override
		public long skip(long n) throws IOException {
			checkRemaining();
			long skipped = this.in.skip(Math.min(n, this.remaining));
			if (skipped > 0) {
				this.remaining -= skipped;
			}
			return skipped;
		}

		@Override
		public boolean markSupported() {
			return false;
		}

		@Override
		public synchronized void mark(int readLimit) {
			// not supported
		}

		@Override
		public synchronized void reset() throws IOException {
			throw new IOException("mark/reset not supported");
		}

		private void checkRemaining() {
			if (this.remaining <= 0) {
				throw new RejectedInputException("The archive has an entry whose headers take more than "
						+ (MAX_HEADER_BYTES_PER_ENTRY / 1024 / 1024) + " MB; it was refused.");
			}
		}

	}

}
