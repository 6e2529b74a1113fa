package com.cct.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes objects without holding them in memory: a stream through one part-sized buffer of
 * {@link PartBuffers} (a single PUT when it fits one part, else a multipart upload), a local file in
 * parts read from the file itself. A multipart upload that fails is aborted, so no half object and no
 * stray parts stay behind; an object appears whole when its upload completes.
 */
final class S3Uploads {

	/** S3's smallest part (but the last), and its most parts per upload. */
	static final long MIN_PART = 5L * 1024 * 1024;

	static final int MAX_PARTS = 10_000;

	private static final String OCTETS = "application/octet-stream";

	private final S3Client client;

	private final String bucket;

	private final PartBuffers buffers;

	S3Uploads(S3Client client, String bucket, PartBuffers buffers) {
		this.client = client;
		this.bucket = bucket;
		this.buffers = buffers;
	}

	/** Streams into the object through one buffer: a single PUT when it fits one part, else a multipart upload. */
	long upload(String key, InputStream content) throws IOException {
		byte[] buffer = this.buffers.take();
		try {
			int filled = content.readNBytes(buffer, 0, buffer.length);
			if (filled < buffer.length) {
				this.client.putObject(request -> request.bucket(this.bucket).key(key), bytes(buffer, filled));
				return filled;
			}
			StreamParts parts = new StreamParts(content, buffer, filled);
			multipart(key, parts);
			return parts.total;
		}
		finally {
			this.buffers.give(buffer);
		}
	}

	/** Uploads a local file, in parts read from the file itself (nothing of it in memory). */
	long upload(String key, Path file) throws IOException {
		long size = Files.size(file);
		if (size <= this.buffers.size()) {
			this.client.putObject(request -> request.bucket(this.bucket).key(key), RequestBody.fromFile(file));
			return size;
		}
		long partSize = Math.max(this.buffers.size(), (size + MAX_PARTS - 1) / MAX_PARTS);
		long[] offset = { 0 };
		multipart(key, () -> {
			long start = offset[0];
			if (start >= size) {
				return null;
			}
			long length = Math.min(partSize, size - start);
			offset[0] += length;
			return RequestBody.fromContentProvider(() -> FileSlice.open(file, start, length), length, OCTETS);
		});
		return size;
	}

	private static RequestBody bytes(byte[] buffer, int length) {
		// a provider, not fromBytes, which would copy the part; the SDK may read it twice (signing, retries)
		return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, OCTETS);
	}

	/** The parts of one upload, asked for one after the other once the previous one was sent. */
	private interface Parts {

		/** The next part's body, or null after the last one. */
		RequestBody next() throws IOException;

	}

	/** A stream's parts, each read into the same buffer once the previous part has been sent. */
	private static final class StreamParts implements Parts {

		private final InputStream content;

		private final byte[] buffer;

		private int pending;

		long total;

		StreamParts(InputStream content, byte[] buffer, int filled) {
			this.content = content;
			this.buffer = buffer;
			this.pending = filled;
		}

		@Override
		public RequestBody next() throws IOException {
			int length = (this.pending >= 0) ? this.pending : this.content.readNBytes(this.buffer, 0, this.buffer.length);
			this.pending = -1;
			if (length == 0) {
				return null;
			}
			this.total += length;
			return bytes(this.buffer, length);
		}

	}

	private void multipart(String key, Parts parts) throws IOException {
		String uploadId = this.client.createMultipartUpload(request -> request.bucket(this.bucket).key(key))
			.uploadId();
		try {
			List<CompletedPart> done = new ArrayList<>();
			for (RequestBody body = parts.next(); body != null; body = parts.next()) {
				int number = done.size() + 1;
				String etag = this.client
					.uploadPart(request -> request.bucket(this.bucket).key(key).uploadId(uploadId).partNumber(number),
							body)
					.eTag();
				done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
			}
			this.client.completeMultipartUpload(request -> request.bucket(this.bucket)
				.key(key)
				.uploadId(uploadId)
				.multipartUpload(upload -> upload.parts(done)));
		}
		catch (IOException | RuntimeException | Error ex) {
			abort(key, uploadId, ex);
			throw ex;
		}
	}

	private void abort(String key, String uploadId, Throwable cause) {
		try {
			this.client.abortMultipartUpload(request -> request.bucket(this.bucket).key(key).uploadId(uploadId));
		}
		catch (RuntimeException ex) {
			// the orphan sweep aborts it later
			cause.addSuppressed(ex);
		}
	}

}
