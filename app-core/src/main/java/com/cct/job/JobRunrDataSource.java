package com.cct.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The DataSource under JobRunr's storage. On a thread inside {@link #withoutWaitingForTheFlush}, a
 * connection comes with a transaction already begun whose commit does not wait for PostgreSQL to
 * flush it to disk ({@code SET LOCAL synchronous_commit = off}): that transaction only, so nothing
 * outlives it on the pooled connection. JobRunr's own transaction continues it (JobRunr turns
 * autocommit off only where it is on, and puts back what it found).
 * <p>
 * An asynchronous commit is visible to every session at once; only a crash of PostgreSQL within
 * a few hundred milliseconds (three times {@code wal_writer_delay} at most) can lose it, and any
 * later synchronous commit flushes it with its own.
 */
final class JobRunrDataSource extends DelegatingDataSource {

	private static final ThreadLocal<Boolean> NO_FLUSH_WAIT = new ThreadLocal<>();

	JobRunrDataSource(DataSource target) {
		super(target);
	}

	/** Runs {@code action}, whose JobRunr writes on this thread then commit asynchronously. */
	static void withoutWaitingForTheFlush(Runnable action) {
		NO_FLUSH_WAIT.set(Boolean.TRUE);
		try {
			action.run();
		}
		finally {
			NO_FLUSH_WAIT.remove();
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		Connection connection = super.getConnection();
		if (NO_FLUSH_WAIT.get() == null) {
			return connection;
		}
		try {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("set local synchronous_commit = off");
			}
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

}
