package com.cct.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The backend each process gets from its environment, and the starts it refuses. */
class StorageConfigurationTests {

	@TempDir
	static Path folder;

	static S3Server server;

	@BeforeAll
	static void startServer() {
		server = S3Server.start(folder.resolve("s3"), "cct-files");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(StorageSettings.class)
	static class Settings {

	}

	ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withUserConfiguration(Settings.class, StorageConfiguration.class)
			.withPropertyValues("cct.storage.root=" + folder.resolve("data"));
	}

	ApplicationContextRunner onBucket(String bucket) {
		return runner().withPropertyValues("cct.storage.backend=s3", "cct.storage.s3.endpoint=" + server.endpoint(),
				"cct.storage.s3.bucket=" + bucket, "cct.storage.s3.access-key=" + S3Server.ACCESS_KEY,
				"cct.storage.s3.secret-key=" + S3Server.SECRET_KEY, "cct.storage.s3.path-style=true",
				"cct.storage.scratch=" + folder.resolve("scratch"));
	}

	@Test
	void theFolderIsTheDefaultAndItsRootIsCreated() {
		runner().run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TaskFiles.class)).isInstanceOf(FileStorage.class);
			assertThat(folder.resolve("data")).isDirectory();
			StorageSettings settings = context.getBean(StorageSettings.class);
			assertThat(settings.s3().partSize().toMegabytes()).isEqualTo(8);
			assertThat(settings.scratch().normalize()).isEqualTo(Path.of("scratch"));
		});
	}

	@Test
	void s3GivesTheBucketBackend() {
		onBucket(server.bucket).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TaskFiles.class)).isInstanceOf(S3Storage.class);
		});
	}

	@Test
	void aMissingBucketStopsTheStart() {
		onBucket("not-there").run(context -> assertThat(context).getFailure()
			.hasStackTraceContaining("The bucket not-there at " + server.endpoint()
					+ " does not exist: create it, or set CCT_S3_BUCKET"));
	}

	@Test
	void anUnknownBackendStopsTheStart() {
		runner().withPropertyValues("cct.storage.backend=nfs")
			.run(context -> assertThat(context).getFailure()
				.hasMessageContaining("StorageSettings")
				.hasStackTraceContaining("for value [nfs]"));
	}

}
