package com.cct.upload.tus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.cct.storage.StorageSettings;

/**
 * The bytes of resumable uploads in progress: one file per upload in its (future) task folder, under
 * a temporary name ({@value #PARTIAL}) the worker's and the spool sweeper's globs never take for an
 * original. {@link #append} is the one place those bytes are written.
 * <p>
 * A storage backend without appendable files (S3) would hold the partial upload as the parts of a
 * multipart upload instead: each PATCH one or more parts (UploadPart, 5 MB at least but the last, so
 * smaller chunks wait in a local buffer file), the multipart upload id kept in the upload's row,
 * CompleteMultipartUpload at the last byte, AbortMultipartUpload on termination or expiry.
 */
@Component
class PartialUploads {

	/** Starts as FileStorage's temporary names do; not as the one-request upload's, which are swept after 1h. */
	static final String PARTIAL = ".part-tus-upload";

	private static final int BUFFER = 64 * 1024;

	/**
	 * A local folder: with the folder backend the shared storage root (the partial file sits in its
	 * future task folder, so any web process can take the next PATCH); with a bucket the web's own
	 * disk (then the web processes of one upload must be the same one: route by upload id, or run one).
	 */
	private final Path root;

	PartialUploads(StorageSettings settings) {
		this.root = settings.root().toAbsolutePath().normalize();
	}

	Path path(UUID userId, UUID id) {
		return this.root.resolve(userId.toString()).resolve(id.toString()).resolve(PARTIAL);
	}

	/** Deletes an upload's partial file, and the folders it leaves empty. */
	void delete(UUID userId, UUID id) {
		Path file = path(userId, id);
		try {
			Files.deleteIfExists(file);
			Files.deleteIfExists(file.getParent());
			Files.deleteIfExists(file.getParent().getParent());
		}
		catch (IOException ex) {
			// not empty: the task's own files (folder backend) or another upload's
		}
	}

	void create(UUID userId, UUID id) throws IOException {
		Path file = path(userId, id);
		Files.createDirectories(file.getParent());
		Files.deleteIfExists(file);
		Files.createFile(file);
	}

	/** What one PATCH wrote: bytes written, and whether the client sent more than {@code room}, or was cut. */
	record Appended(long written, boolean overflow, IOException cut) {
	}

	/**
	 * Writes the body's bytes at {@code offset}, at most {@code room} of them. Bytes past the offset
	 * (a write the upload's row never committed) are cut off first. A body that breaks off keeps what
	 * arrived before.
	 */
	Appended append(UUID userId, UUID id, long offset, InputStream body, long room) throws IOException {
		try (FileChannel file = FileChannel.open(path(userId, id), StandardOpenOption.WRITE)) {
			if (file.size() < offset) {
				throw new IOException("partial file of " + id + " is shorter than its committed offset");
			}
			file.truncate(offset);
			file.position(offset);
			byte[] buffer = new byte[BUFFER];
			long written = 0;
			try {
				while (written < room) {
					int n = body.read(buffer, 0, (int) Math.min(buffer.length, room - written));
					if (n < 0) {
						return new Appended(written, false, null);
					}
					ByteBuffer slice = ByteBuffer.wrap(buffer, 0, n);
					while (slice.hasRemaining()) {
						file.write(slice);
					}
					written += n;
				}
				return new Appended(written, body.read() >= 0, null);
			}
			catch (IOException ex) {
				if (!Files.exists(path(userId, id))) {
					throw ex;
				}
				return new Appended(written, false, ex);
			}
		}
	}

	/** The first bytes of the upload, for the content check. */
	byte[] head(UUID userId, UUID id, int max) throws IOException {
		try (InputStream in = Files.newInputStream(path(userId, id))) {
			return in.readNBytes(max);
		}
	}

}
