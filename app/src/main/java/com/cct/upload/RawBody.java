package com.cct.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A body that is the file itself ({@code curl --data-binary @song.wav}); its fields come in the query. */
final class RawBody implements UploadBody {

	private final InputStream body;

	private final UploadRequest query;

	RawBody(InputStream body, UploadRequest query) {
		this.body = new LargeReads(body);
		this.query = query;
	}

	@Override
	public UploadRequest openFile() {
		return this.query;
	}

	@Override
	public InputStream file() {
		return this.body;
	}

	@Override
	public UploadRequest finish() {
		return this.query;
	}

	/** Copies in reads as large as Tomcat's (InputStream's own transferTo moves 8 KB at a time). */
	private static final class LargeReads extends FilterInputStream {

		LargeReads(InputStream in) {
			super(in);
		}

		@Override
		public long transferTo(OutputStream out) throws IOException {
			byte[] buffer = new byte[MultipartReader.BUFFER];
			long total = 0;
			for (int n = this.in.read(buffer); n >= 0; n = this.in.read(buffer)) {
				out.write(buffer, 0, n);
				total += n;
			}
			return total;
		}

	}

}
