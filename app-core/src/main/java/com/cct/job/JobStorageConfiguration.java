package com.cct.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JobRunr's storage, as the Spring Boot starter would build it, except that creating or migrating
 * JobRunr's tables is serialised across every process by a PostgreSQL advisory lock. Without it, a
 * web process and workers starting together on a fresh database each run JobRunr's table migrations,
 * and the loser stops its start-up on "relation jobrunr_jobs already exists". JobRunr works on
 * {@link JobRunrDataSource}, so a conversion's enqueue can commit without waiting for the disk.
 */
@Configuration(proxyBeanMethods = false)
class JobStorageConfiguration {

	/** Any fixed number: the advisory lock that stands for "JobRunr's tables are being created". */
	private static final long MIGRATION_LOCK = 0x63637453L;

	@Bean(name = "storageProvider", destroyMethod = "close")
	StorageProvider storageProvider(DataSource dataSource, JobMapper jobMapper, JobRunrProperties properties)
			throws SQLException {
		DatabaseOptions options = properties.getDatabase().isSkipCreate() ? DatabaseOptions.SKIP_CREATE
				: DatabaseOptions.CREATE;
		// the lock is held on a connection of its own while JobRunr migrates through others
		try (Connection lock = dataSource.getConnection()) {
			advisory(lock, "select pg_advisory_lock(?)");
			try {
				StorageProvider storage = SqlStorageProviderFactory.using(new JobRunrDataSource(dataSource),
						properties.getDatabase().getTablePrefix(), options);
				storage.setJobMapper(jobMapper);
				return storage;
			}
			finally {
				advisory(lock, "select pg_advisory_unlock(?)");
			}
		}
	}

	private static void advisory(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, MIGRATION_LOCK);
			statement.execute();
		}
	}

}
