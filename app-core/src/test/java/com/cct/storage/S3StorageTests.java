package com.cct.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

import com.cct.format.Format;
import com.cct.task.Task;

import software.amazon.awssdk.services.s3.S3Client;

/** The bucket backend against a real S3 server (S3Proxy), with parts of S3's smallest size, 5 MB. */
class S3StorageTests {

	static final int PART = (int) S3Uploads.MIN_PART;

	@TempDir
	static Path serverFolder;

	static S3Server server;

	static S3Client client;

	@TempDir
	Path scratch;

	S3Storage storage;

	@BeforeAll
	static void startServer() {
		server = S3Server.start(serverFolder, "cct-files");
		client = S3Storage.client(settings(server.bucket, S3Server.SECRET_KEY).s3());
	}

	@AfterAll
	static void stopServer() {
		client.close();
		server.close();
	}

	@BeforeEach
	void setUp() {
		this.storage = storage(this.scratch);
		this.storage.checkReady();
	}

	S3Storage storage(Path scratchFolder) {
		return new S3Storage(client, server.bucket, "bucket " + server.bucket, scratchFolder, new PartBuffers(PART, 2));
	}

	static StorageSettings settings(String bucket, String secret) {
		return new StorageSettings(StorageSettings.Backend.S3, Path.of("unused"), Path.of("unused"),
				new StorageSettings.S3(server.endpoint(), S3Server.REGION, bucket, S3Server.ACCESS_KEY, secret, true,
						DataSize.ofMegabytes(8)));
	}

	static Task task() {
		return Task.uploaded(UUID.randomUUID(), UUID.randomUUID(), "song.wav", Format.WAV, Format.MP3, null, 3,
				FileStorage.newStoredName("wav"), FileStorage.newStoredName("mp3"), false, null, Instant.now());
	}

	static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	static byte[] read(Resource resource) throws IOException {
		try (InputStream in = resource.getInputStream()) {
			return in.readAllBytes();
		}
	}

	String prefix(Task task) {
		return task.userId() + "/" + task.id() + "/";
	}

	@Test
	void aLargeUploadGoesUpInPartsAndComesBackWhole() throws IOException {
		Task task = task();
		byte[] content = random(3 * PART + 12345);

		long stored = this.storage.storeOriginal(task, new ByteArrayInputStream(content));

		assertThat(stored).isEqualTo(content.length);
		Resource original = this.storage.openOriginal(task).orElseThrow();
		assertThat(original.contentLength()).isEqualTo(content.length);
		assertThat(read(original)).isEqualTo(content);
		// a multipart object's ETag counts its parts
		assertThat(client.headObject(r -> r.bucket(server.bucket).key(S3Storage.key(task.userId(), task.id(),
				task.originalFile()))).eTag()).contains("-4");
		assertThat(server.keys(prefix(task))).containsExactly(prefix(task) + task.originalFile());
	}

	@Test
	void aSmallUploadIsOnePut() throws IOException {
		Task task = task();
		byte[] content = random(1000);

		assertThat(this.storage.storeOriginal(task, new ByteArrayInputStream(content))).isEqualTo(1000);

		assertThat(read(this.storage.openOriginal(task).orElseThrow())).isEqualTo(content);
	}

	@Test
	void anUploadOfExactlyOnePartIsStored() throws IOException {
		Task task = task();
		byte[] content = random(PART);

		this.storage.storeOriginal(task, new ByteArrayInputStream(content));

		assertThat(read(this.storage.openOriginal(task).orElseThrow())).isEqualTo(content);
	}

	@Test
	void aRangeIsFetchedFromItsOffset() throws IOException {
		Task task = task();
		byte[] content = random(2 * PART + 777);
		this.storage.storeOriginal(task, new ByteArrayInputStream(content));
		Resource original = this.storage.openOriginal(task).orElseThrow();
		int start = PART + 100;

		// what Spring MVC does for "Range: bytes=start-(start+999)"
		try (InputStream in = original.getInputStream()) {
			assertThat(in.skip(start)).isEqualTo(start);
			assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOfRange(content, start, start + 1000));
		}
		try (InputStream in = original.getInputStream()) {
			assertThat(in.skip(content.length - 10)).isEqualTo(content.length - 10);
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, content.length - 10, content.length));
		}
	}

	@Test
	void aFailingStreamAbortsTheUploadAndLeavesNothing() {
		Task task = task();
		IOException cut = new IOException("client went away");
		InputStream failing = new FilterInputStream(new ByteArrayInputStream(random(3 * PART))) {

			long read;

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				if (this.read > 2 * PART) {
					throw cut;
				}
				int n = super.read(bytes, offset, length);
				this.read += Math.max(n, 0);
				return n;
			}

		};

		assertThatThrownBy(() -> this.storage.storeOriginal(task, failing)).isSameAs(cut);

		assertThat(this.storage.openOriginal(task)).isEmpty();
		assertThat(client.listMultipartUploads(r -> r.bucket(server.bucket).prefix(prefix(task))).uploads())
			.isEmpty();
		assertThat(server.keys(prefix(task))).isEmpty();
	}

	@Test
	void aWorkspaceCopiesTheOriginalInAndPublishesTheResultInParts() throws IOException {
		Task task = task();
		byte[] content = random(PART + 5);
		this.storage.storeOriginal(task, new ByteArrayInputStream(content));
		byte[] result = random(2 * PART + 3);
		Path folder;

		try (Workspace workspace = this.storage.workspace(task)) {
			folder = workspace.folder();
			assertThat(folder).isEqualTo(this.scratch.toAbsolutePath().resolve(task.id().toString()));
			assertThat(workspace.input()).hasParent(folder).hasBinaryContent(content);
			Path temp = workspace.newTempFile("mp3");
			assertThat(temp.getFileName().toString()).startsWith(FileStorage.TEMP_PREFIX);
			Files.write(temp, result);
			assertThat(this.storage.openResult(task)).as("nothing before it is published").isEmpty();

			assertThat(workspace.publish(temp)).isEqualTo(result.length);
		}

		assertThat(folder).doesNotExist();
		assertThat(read(this.storage.openResult(task).orElseThrow())).isEqualTo(result);
		assertThat(server.keys(prefix(task))).containsExactlyInAnyOrder(prefix(task) + task.originalFile(),
				prefix(task) + task.processedFile());
	}

	@Test
	void aMissingOriginalIsNoSuchFile() throws IOException {
		Task task = task();
		try (Workspace workspace = this.storage.workspace(task)) {
			assertThatThrownBy(workspace::input).isInstanceOf(NoSuchFileException.class);
		}
		assertThat(this.storage.openOriginal(task)).isEmpty();
		assertThat(this.storage.openResult(task)).isEmpty();
	}

	@Test
	void aSharedOriginalIsAServerSideCopyThatOutlivesItsSource() throws IOException {
		Task from = task();
		Task to = task();
		byte[] content = random(1000);
		this.storage.storeOriginal(from, new ByteArrayInputStream(content));

		this.storage.shareOriginal(from, to);
		this.storage.deleteTask(from);

		try (InputStream in = this.storage.openOriginal(to).orElseThrow().getInputStream()) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		assertThatThrownBy(() -> this.storage.shareOriginal(from, task())).isInstanceOf(NoSuchFileException.class);
	}

	@Test
	void deletingATaskRemovesItsObjectsOnly() throws IOException {
		Task task = task();
		Task other = task();
		this.storage.storeOriginal(task, new ByteArrayInputStream(random(10)));
		this.storage.storeOriginal(other, new ByteArrayInputStream(random(10)));
		try (Workspace workspace = this.storage.workspace(task)) {
			Path temp = workspace.newTempFile("mp3");
			Files.write(temp, random(20));
			workspace.publish(temp);
		}

		this.storage.deleteResult(task);
		assertThat(this.storage.openResult(task)).isEmpty();
		this.storage.deleteTask(task);

		assertThat(server.keys(prefix(task))).isEmpty();
		assertThat(this.storage.openOriginal(other)).isPresent();
	}

	@Test
	void theSweepRemovesObjectsOfTasksThatAreGoneAndStaleUploads() throws IOException {
		Task gone = task();
		Task kept = task();
		this.storage.storeOriginal(gone, new ByteArrayInputStream(random(10)));
		this.storage.storeOriginal(kept, new ByteArrayInputStream(random(10)));
		String key = S3Storage.key(gone.userId(), gone.id(), gone.processedFile());
		String uploadId = client.createMultipartUpload(r -> r.bucket(server.bucket).key(key)).uploadId();

		int swept = this.storage.sweepOrphans(Instant.now().plusSeconds(60), Set.of(kept.id())::contains);

		assertThat(swept).isGreaterThanOrEqualTo(2);
		assertThat(this.storage.openOriginal(gone)).isEmpty();
		assertThat(this.storage.openOriginal(kept)).isPresent();
		assertThat(client.listMultipartUploads(r -> r.bucket(server.bucket)).uploads())
			.noneMatch(upload -> upload.uploadId().equals(uploadId));
	}

	@Test
	void theSweepLeavesRecentObjectsAlone() throws IOException {
		Task fresh = task();
		this.storage.storeOriginal(fresh, new ByteArrayInputStream(random(10)));

		this.storage.sweepOrphans(Instant.now().minusSeconds(3600), id -> false);

		assertThat(this.storage.openOriginal(fresh)).isPresent();
	}

	@Test
	void aScratchFolderBelongsToOneWorker() throws IOException {
		Path leftover = Files.createDirectories(this.scratch.resolve(UUID.randomUUID().toString()));
		this.storage.claimScratch();
		assertThat(leftover).as("left by a worker that died").doesNotExist();

		try (S3Storage second = storage(this.scratch)) {
			assertThatThrownBy(second::claimScratch).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("CCT_SCRATCH_DIR")
				.hasMessageContaining("another running worker");
		}
		finally {
			this.storage.close();
		}
	}

	@Test
	void aMissingBucketStopsTheStartWithItsName() {
		S3Storage missing = S3Storage.connect(settings("no-such-bucket", S3Server.SECRET_KEY));
		assertThatThrownBy(missing::checkReady).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("no-such-bucket")
			.hasMessageContaining("does not exist")
			.hasMessageContaining("CCT_S3_BUCKET");
	}

	@Test
	void refusedCredentialsStopTheStart() {
		S3Storage refused = S3Storage.connect(settings(server.bucket, "not-the-secret"));
		assertThatThrownBy(refused::checkReady).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("refused the credentials")
			.hasMessageContaining("CCT_S3_SECRET_KEY");
	}

	@Test
	void anUnreachableServerStopsTheStart() {
		StorageSettings settings = settings(server.bucket, S3Server.SECRET_KEY);
		StorageSettings away = new StorageSettings(settings.backend(), settings.root(), settings.scratch(),
				new StorageSettings.S3("http://127.0.0.1:9", S3Server.REGION, server.bucket, S3Server.ACCESS_KEY,
						S3Server.SECRET_KEY, true, DataSize.ofMegabytes(8)));
		assertThatThrownBy(S3Storage.connect(away)::checkReady).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Cannot reach")
			.hasMessageContaining("CCT_S3_ENDPOINT");
	}

	@Test
	void aServerThatDoesNotAnswerIsUnavailableNotAnError() throws IOException {
		StorageSettings settings = settings(server.bucket, S3Server.SECRET_KEY);
		StorageSettings away = new StorageSettings(settings.backend(), settings.root(), this.scratch,
				new StorageSettings.S3("http://127.0.0.1:9", S3Server.REGION, server.bucket, S3Server.ACCESS_KEY,
						S3Server.SECRET_KEY, true, DataSize.ofMegabytes(8)));
		try (S3Storage storage = S3Storage.connect(away)) {
			Task task = task();
			assertThatThrownBy(() -> storage.storeOriginal(task, new ByteArrayInputStream(random(10))))
				.isInstanceOf(StorageUnavailableException.class);
			assertThatThrownBy(() -> storage.openResult(task)).isInstanceOf(StorageUnavailableException.class);
		}
	}

	@Test
	void aBucketIsRequired() {
		assertThatThrownBy(() -> S3Storage.connect(settings("", S3Server.SECRET_KEY)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("CCT_S3_BUCKET");
	}

}
