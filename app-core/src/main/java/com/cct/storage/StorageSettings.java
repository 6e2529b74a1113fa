package com.cct.storage;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param backend where the files live: {@code folder} ({@code CCT_STORAGE_BACKEND}, the default) or
 * {@code s3}
 * @param root the folder backend's folder, shared by the web process and every worker (a volume or
 * NFS mount), one sub-folder per user and task ({@code CCT_STORAGE_ROOT}); with {@code s3}, only the
 * web process's upload spool lives there
 * @param scratch with {@code s3}, the worker's own local folder for conversions in progress
 * ({@code CCT_SCRATCH_DIR}), one sub-folder per task, removed after each run
 * @param s3 the bucket, with {@code s3}
 */
@ConfigurationProperties("cct.storage")
public record StorageSettings(@DefaultValue("folder") Backend backend, @DefaultValue("./data") Path root,
		@DefaultValue("./scratch") Path scratch, @DefaultValue S3 s3) {

	/** The one Spring binds (a record with a second constructor must name it). */
	@ConstructorBinding
	public StorageSettings {
	}

	/** The folder backend at {@code root}: what most tests need. */
	public StorageSettings(Path root) {
		this(Backend.FOLDER, root, root.resolve(".scratch"), new S3(null, "us-east-1", null, null, null, false,
				DataSize.ofMegabytes(8)));
	}

	public enum Backend {

		FOLDER, S3

	}

	/**
	 * @param endpoint the server's URL ({@code CCT_S3_ENDPOINT}); empty for AWS S3 itself
	 * @param region the bucket's region ({@code CCT_S3_REGION}); any value for servers that ignore it
	 * @param bucket the bucket, which must exist ({@code CCT_S3_BUCKET})
	 * @param accessKey with {@code secretKey}, the key pair ({@code CCT_S3_ACCESS_KEY},
	 * {@code CCT_S3_SECRET_KEY}); empty for the SDK's default chain (instance roles, AWS_* variables)
	 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
	 * ({@code CCT_S3_PATH_STYLE}; MinIO, Ceph and S3Proxy usually need it)
	 * @param partSize the size of each part of a multipart upload (at least 5 MB, S3's minimum): one
	 * buffer of this size per upload in progress
	 */
	public record S3(String endpoint, @DefaultValue("us-east-1") String region, String bucket, String accessKey,
			String secretKey, @DefaultValue("false") boolean pathStyle, @DefaultValue("8MB") DataSize partSize) {
	}

}
