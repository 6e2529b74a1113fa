package com.cct.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cct.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Against the real PostgreSQL, on a pool of one connection, so the connection a scope used is the
 * one the next caller gets: the asynchronous commit stays inside its transaction.
 */
class JobRunrDataSourceTests {

	static HikariDataSource pool;

	static JobRunrDataSource dataSource;

	@BeforeAll
	static void pool() {
		pool = new HikariDataSource();
		pool.setJdbcUrl(TestDatabase.url());
		pool.setUsername("postgres");
		pool.setMaximumPoolSize(1);
		dataSource = new JobRunrDataSource(pool);
	}

	@AfterAll
	static void close() {
		pool.close();
	}

	@Test
	void insideTheScopeATransactionCommitsAsynchronouslyAndThePooledConnectionForgetsIt() throws SQLException {
		String[] inside = new String[1];
		JobRunrDataSource.withoutWaitingForTheFlush(() -> {
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.getAutoCommit()).isFalse();
				inside[0] = synchronousCommit(connection);
				connection.commit();
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		});

		assertThat(inside[0]).isEqualTo("off");
		try (Connection next = dataSource.getConnection()) {
			assertThat(next.getAutoCommit()).isTrue();
			assertThat(synchronousCommit(next)).isEqualTo("on");
		}
	}

	@Test
	void outsideTheScopeConnectionsAreUntouched() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			assertThat(connection.getAutoCommit()).isTrue();
			assertThat(synchronousCommit(connection)).isEqualTo("on");
		}
	}

	@Test
	void jobRunrsEnqueueRunsInTheBegunTransactionAndTheJobIsThere() {
		// JobRunr's table migrations take several connections at once
		try (HikariDataSource jobRunrPool = new HikariDataSource()) {
			jobRunrPool.setJdbcUrl(TestDatabase.url());
			jobRunrPool.setUsername("postgres");
			jobRunrPool.setMaximumPoolSize(4);
			StorageProvider storage = SqlStorageProviderFactory.using(new JobRunrDataSource(jobRunrPool), null,
					DatabaseOptions.CREATE);
			storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
			JobScheduler scheduler = new JobScheduler(storage);
			UUID taskId = UUID.randomUUID();

			JobRunrDataSource
				.withoutWaitingForTheFlush(() -> scheduler.<ConversionJob>enqueue(taskId, job -> job.convert(taskId)));

			assertThat(storage.getJobById(taskId).getState()).isEqualTo(StateName.ENQUEUED);
			storage.close();
		}
	}

	private static String synchronousCommit(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select current_setting('synchronous_commit')")) {
			result.next();
			return result.getString(1);
		}
	}

}
