package com.cct.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import org.springframework.core.io.AbstractResource;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object for download, streamed from the bucket through the web process (which keeps the
 * ownership check, the headers and the token out of any URL, as for a file). Spring MVC answers
 * Range requests on a resource by skipping to each range's start and reading its length: here the
 * skip costs nothing, and the object is fetched from that offset on, so a range near the end of a
 * large result reads only what it sends.
 */
final class S3ObjectResource extends AbstractResource {

	private final S3Client client;

	private final String bucket;

	private final String key;

	private final long size;

	private final Instant lastModified;

	S3ObjectResource(S3Client client, String bucket, String key, long size, Instant lastModified) {
		this.client = client;
		this.bucket = bucket;
		this.key = key;
		this.size = size;
		this.lastModified = lastModified;
	}

	@Override
	public String getDescription() {
		return "object " + this.key;
	}

	@Override
	public String getFilename() {
		return this.key.substring(this.key.lastIndexOf('/') + 1);
	}

	@Override
	public long contentLength() {
		return this.size;
	}

	@Override
	public long lastModified() {
		return this.lastModified != null ? this.lastModified.toEpochMilli() : 0;
	}

	@Override
	public InputStream getInputStream() {
		return new RangedStream();
	}

	/** Fetches the object on first read, from the offset that skips before it reached. */
	private final class RangedStream extends InputStream {

		private long offset;

		private ResponseInputStream<GetObjectResponse> body;

		private boolean ended;

		@Override
		public long skip(long n) throws IOException {
			if (this.body != null) {
				return this.body.skip(n);
			}
			long skipped = Math.max(0, Math.min(n, S3ObjectResource.this.size - this.offset));
			this.offset += skipped;
			return skipped;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == 1) ? (one[0] & 0xff) : -1;
		}

		@Override
		public int read(byte[] bytes, int from, int length) throws IOException {
			if (this.ended || this.offset >= S3ObjectResource.this.size) {
				return -1;
			}
			if (this.body == null) {
				String range = "bytes=" + this.offset + "-";
				this.body = S3ObjectResource.this.client.getObject(request -> request.bucket(S3ObjectResource.this.bucket)
					.key(S3ObjectResource.this.key)
					.range(range));
			}
			int read = this.body.read(bytes, from, length);
			if (read < 0) {
				this.ended = true;
			}
			return read;
		}

		@Override
		public void close() throws IOException {
			if (this.body != null) {
				if (!this.ended) {
					// the client left early, or only a range was wanted: drop the connection, don't drain it
					this.body.abort();
				}
				this.body.close();
			}
		}

	}

}
