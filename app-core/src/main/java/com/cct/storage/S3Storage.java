package com.cct.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket backend (AWS S3, Google Cloud Storage's XML API, MinIO, Ceph...): objects
 * {@code {userId}/{taskId}/{storedName}}, the same layout as the folder backend's. Uploads stream
 * through part-sized buffers into multipart uploads ({@link S3Uploads}), aborted on any failure;
 * an object appears whole when its upload completes, so there are no temporaries in the bucket. A
 * worker copies the original into its own {@link ScratchFolder} ({@code CCT_SCRATCH_DIR/<taskId>/}),
 * converts there, uploads the result and removes the folder. Downloads stream from the bucket
 * through the web process (see {@link S3ObjectResource}).
 */
public final class S3Storage implements TaskFiles, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(S3Storage.class);

	private final S3Client client;

	private final String bucket;

	private final String where;

	private final ScratchFolder scratch;

	private final S3Uploads uploads;

	S3Storage(S3Client client, String bucket, String where, Path scratch, PartBuffers buffers) {
		this.client = client;
		this.bucket = bucket;
		this.where = where;
		this.scratch = new ScratchFolder(scratch);
		this.uploads = new S3Uploads(client, bucket, buffers);
	}

	/** The backend as configured by the {@code CCT_S3_*} variables; {@link #checkReady()} tells whether it works. */
	public static S3Storage connect(StorageSettings settings) {
		StorageSettings.S3 s3 = settings.s3();
		if (!StringUtils.hasText(s3.bucket())) {
			throw new IllegalStateException("CCT_S3_BUCKET must name an existing bucket when CCT_STORAGE_BACKEND=s3");
		}
		long partSize = s3.partSize().toBytes();
		if (partSize < S3Uploads.MIN_PART || partSize > Integer.MAX_VALUE / 2) {
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
	public void claimScratch() {
		this.scratch.claim();
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
	public long storeOriginal(UUID userId, UUID taskId, String originalFile, InputStream content) throws IOException {
		try {
			return this.uploads.upload(key(userId, taskId, originalFile), content);
		}
		catch (SdkException ex) {
			throw unavailable(ex);
		}
	}

	/** The largest object one CopyObject request copies (S3's limit); uploads are far smaller by default. */
	static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

	@Override
	public void shareOriginal(Task from, Task to) throws IOException {
		String source = originalKey(from);
		String target = originalKey(to);
		try {
			HeadObjectResponse head = this.client.headObject(request -> request.bucket(this.bucket).key(source));
			if (head.contentLength() > MAX_SINGLE_COPY) {
				throw new IOException("An original over 5 GB cannot be shared by a server-side copy");
			}
			this.client.copyObject(request -> request.sourceBucket(this.bucket)
				.sourceKey(source)
				.destinationBucket(this.bucket)
				.destinationKey(target));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				throw new NoSuchFileException(from.originalFile());
			}
			throw unavailable(ex);
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
		return new ScratchWorkspace(task, this.scratch.fresh(task.id()));
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
			return S3Storage.this.uploads.upload(resultKey(this.task), temp);
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
	public void deleteTask(UUID userId, UUID taskId) {
		deletePrefix(prefix(userId, taskId));
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
	public void close() throws IOException {
		this.client.close();
		this.scratch.close();
	}

}
