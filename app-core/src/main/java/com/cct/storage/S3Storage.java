package com.cct.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.StringUtils;

import com.cct.task.Task;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket backend (AWS S3, Google Cloud Storage's XML API, MinIO, Ceph...): objects
 * {@code {userId}/{taskId}/{storedName}}, the same layout as the folder backend's. Uploads stream
 * through part-sized buffers ({@link PartBuffers}) into multipart uploads, aborted on any failure;
 * an object appears whole when its upload completes, so there are no temporaries in the bucket. A
 * worker copies the original into its own scratch folder ({@code CCT_SCRATCH_DIR/<taskId>/}),
 * converts there, uploads the result and removes the folder. Downloads stream from the bucket
 * through the web process (see {@link S3ObjectResource}).
 */
public final class S3Storage implements TaskFiles, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(S3Storage.class);

	/** S3's smallest part (but the last), and its most parts per upload. */
	static final long MIN_PART = 5L * 1024 * 1024;

	static final int MAX_PARTS = 10_000;

	private static final String LOCK_FILE = ".lock";

	private static final String OCTETS = "application/octet-stream";

	private final S3Client client;

	private final String bucket;

	private final String where;

	private final Path scratch;

	private final PartBuffers buffers;

	private FileChannel scratchChannel;

	private FileLock scratchLock;

	S3Storage(S3Client client, String bucket, String where, Path scratch, PartBuffers buffers) {
		this.client = client;
		this.bucket = bucket;
		this.where = where;
		this.scratch = scratch.toAbsolutePath().normalize();
		this.buffers = buffers;
	}

	/** The backend as configured by the {@code CCT_S3_*} variables; {@link #checkReady()} tells whether it works. */
	public static S3Storage connect(StorageSettings settings) {
		StorageSettings.S3 s3 = settings.s3();
		if (!StringUtils.hasText(s3.bucket())) {
			throw new IllegalStateException("CCT_S3_BUCKET must name an existing bucket when CCT_STORAGE_BACKEND=s3");
		}
		long partSize = s3.partSize().toBytes();
		if (partSize < MIN_PART || partSize > Integer.MAX_VALUE / 2) {
			throw new IllegalStateException("The multipart part size must be between 5MB and 1GB, not " + s3.partSize());
		}
		String where = "bucket " + s3.bucket() + (StringUtils.hasText(s3.endpoint()) ? " at " + s3.endpoint() : "");
		return new S3Storage(client(s3), s3.bucket(), where, settings.scratch(), PartBuffers.forHeap((int) partSize));
	}

	static S3Client client(StorageSettings.S3 s3) {
		var builder = S3Client.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(10))
				.socketTimeout(Duration.ofSeconds(60)))
			.region(Region.of(StringUtils.hasText(s3.region()) ? s3.region() : "us-east-1"))
			.forcePathStyle(s3.pathStyle())
			// since 2.30 the SDK adds CRC checksums to every request by default, which several
			// S3-compatible servers reject; send and check them only where the API demands one
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(credentials(s3));
		if (StringUtils.hasText(s3.endpoint())) {
			builder.endpointOverride(endpoint(s3.endpoint()));
		}
		return builder.build();
	}

	private static URI endpoint(String value) {
		try {
			URI uri = URI.create(value.strip());
			if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
				return uri;
			}
		}
		catch (IllegalArgumentException ex) {
			// said below
		}
		throw new IllegalStateException("CCT_S3_ENDPOINT must be a URL such as https://storage.googleapis.com, not "
				+ value);
	}

	private static AwsCredentialsProvider credentials(StorageSettings.S3 s3) {
		if (StringUtils.hasText(s3.accessKey()) != StringUtils.hasText(s3.secretKey())) {
			throw new IllegalStateException("Set both CCT_S3_ACCESS_KEY and CCT_S3_SECRET_KEY, or neither");
		}
		if (StringUtils.hasText(s3.accessKey())) {
			return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	@Override
	public void checkReady() {
		try {
			this.client.headBucket(request -> request.bucket(this.bucket));
		}
		catch (S3Exception ex) {
			throw new IllegalStateException(switch (ex.statusCode()) {
				case 404 -> "The " + this.where + " does not exist: create it, or set CCT_S3_BUCKET to one that does";
				case 401, 403 -> "The " + this.where + " refused the credentials: check CCT_S3_ACCESS_KEY and "
						+ "CCT_S3_SECRET_KEY (and CCT_S3_REGION)";
				case 301, 307 -> "The " + this.where + " lives in another region: set CCT_S3_REGION to the bucket's";
				default -> "The " + this.where + " answered " + ex.statusCode() + " to a check of the bucket";
			}, ex);
		}
		catch (SdkClientException ex) {
			throw new IllegalStateException("Cannot reach the " + this.where + " (CCT_S3_ENDPOINT): " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public synchronized void claimScratch() {
		if (this.scratchLock != null) {
			return;
		}
		try {
			Files.createDirectories(this.scratch);
			FileChannel channel = FileChannel.open(this.scratch.resolve(LOCK_FILE), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			FileLock lock;
			try {
				lock = channel.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				lock = null;
			}
			if (lock == null) {
				channel.close();
				throw new IllegalStateException("The scratch folder " + this.scratch + " is used by another running "
						+ "worker: give each worker a CCT_SCRATCH_DIR of its own");
			}
			this.scratchChannel = channel;
			this.scratchLock = lock;
			// ours now: whatever is there was left by a worker that died
			try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(this.scratch,
					entry -> !entry.getFileName().toString().equals(LOCK_FILE))) {
				for (Path leftover : leftovers) {
					FileSystemUtils.deleteRecursively(leftover);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot use the scratch folder " + this.scratch
					+ "; set CCT_SCRATCH_DIR to a writable local folder", ex);
		}
	}

	static String key(UUID userId, UUID taskId, String name) {
		return prefix(userId, taskId) + FileStorage.checked(name);
	}

	private static String prefix(UUID userId, UUID taskId) {
		return userId + "/" + taskId + "/";
	}

	private static String originalKey(Task task) {
		return key(task.userId(), task.id(), task.originalFile());
	}

	private static String resultKey(Task task) {
		return key(task.userId(), task.id(), task.processedFile());
	}

	@Override
	public long storeOriginal(Task task, InputStream content) throws IOException {
		try {
			return upload(originalKey(task), content);
		}
		catch (SdkException ex) {
			throw unavailable(ex);
		}
	}

	/** A server error or no answer: worth retrying, unlike a refusal (4xx), which is a bug or a misconfiguration. */
	private RuntimeException unavailable(SdkException ex) {
		boolean retryable = !(ex instanceof S3Exception s3) || s3.statusCode() >= 500;
		return retryable ? new StorageUnavailableException("The " + this.where + " is unavailable", ex) : ex;
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

	@Override
	public Optional<Resource> openOriginal(Task task) {
		return opened(originalKey(task));
	}

	@Override
	public Optional<Resource> openResult(Task task) {
		return opened(resultKey(task));
	}

	private Optional<Resource> opened(String key) {
		try {
			HeadObjectResponse head = this.client.headObject(request -> request.bucket(this.bucket).key(key));
			return Optional.of(new S3ObjectResource(this.client, this.bucket, key, head.contentLength(),
					head.lastModified()));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw unavailable(ex);
		}
		catch (SdkException ex) {
			throw unavailable(ex);
		}
	}

	@Override
	public Workspace workspace(Task task) throws IOException {
		claimScratch();
		Path folder = this.scratch.resolve(task.id().toString());
		FileSystemUtils.deleteRecursively(folder);
		Files.createDirectories(folder);
		return new ScratchWorkspace(task, folder);
	}

	/** A worker's local copy of one task: the original downloaded once, the result uploaded. */
	private final class ScratchWorkspace implements Workspace {

		private final Task task;

		private final Path folder;

		private Path input;

		ScratchWorkspace(Task task, Path folder) {
			this.task = task;
			this.folder = folder;
		}

		@Override
		public Task task() {
			return this.task;
		}

		@Override
		public Path folder() {
			return this.folder;
		}

		@Override
		public Path input() throws IOException {
			if (this.input == null) {
				Path local = this.folder.resolve(FileStorage.checked(this.task.originalFile()));
				try {
					S3Storage.this.client.getObject(
							request -> request.bucket(S3Storage.this.bucket).key(originalKey(this.task)),
							ResponseTransformer.toFile(local));
				}
				catch (S3Exception ex) {
					if (ex.statusCode() == 404) {
						throw new NoSuchFileException(this.task.originalFile());
					}
					throw ex;
				}
				this.input = local;
			}
			return this.input;
		}

		@Override
		public long publish(Path temp) throws IOException {
			return upload(resultKey(this.task), temp);
		}

		@Override
		public void close() {
			try {
				FileSystemUtils.deleteRecursively(this.folder);
			}
			catch (IOException ex) {
				log.warn("Cannot remove the scratch folder {}: {}", this.folder, ex.toString());
			}
		}

	}

	@Override
	public void deleteTemporaries(Task task) {
		// temporaries live in a worker's scratch folder, never in the bucket
	}

	@Override
	public void deleteResult(Task task) {
		delete(resultKey(task));
	}

	private void delete(String key) {
		this.client.deleteObject(request -> request.bucket(this.bucket).key(key));
	}

	@Override
	public void deleteTask(Task task) {
		deletePrefix(prefix(task.userId(), task.id()));
	}

	private void deletePrefix(String prefix) {
		// a task has two objects at most: single deletes work on every server (DeleteObjects needs Content-MD5)
		for (S3Object object : this.client.listObjectsV2Paginator(request -> request.bucket(this.bucket).prefix(prefix))
			.contents()) {
			delete(object.key());
		}
	}

	@Override
	public int sweepOrphans(Instant before, Predicate<UUID> taskExists) {
		Map<String, Instant> newest = new HashMap<>();
		for (S3Object object : this.client.listObjectsV2Paginator(request -> request.bucket(this.bucket)).contents()) {
			String[] parts = object.key().split("/");
			if (parts.length == 3 && FileStorage.isTaskId(parts[0]) && FileStorage.isTaskId(parts[1])) {
				newest.merge(parts[0] + "/" + parts[1] + "/", object.lastModified(),
						(a, b) -> a.isAfter(b) ? a : b);
			}
		}
		int swept = 0;
		for (Map.Entry<String, Instant> task : newest.entrySet()) {
			UUID taskId = UUID.fromString(task.getKey().substring(37, 73));
			if (task.getValue().isBefore(before) && !taskExists.test(taskId)) {
				deletePrefix(task.getKey());
				swept++;
			}
		}
		for (MultipartUpload upload : this.client
			.listMultipartUploadsPaginator(request -> request.bucket(this.bucket))
			.uploads()) {
			if (upload.initiated() != null && upload.initiated().isBefore(before)) {
				this.client.abortMultipartUpload(
						request -> request.bucket(this.bucket).key(upload.key()).uploadId(upload.uploadId()));
				swept++;
			}
		}
		return swept;
	}

	@Override
	public synchronized void close() throws IOException {
		this.client.close();
		if (this.scratchChannel != null) {
			this.scratchChannel.close();
		}
	}

}
