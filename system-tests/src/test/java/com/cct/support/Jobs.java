package com.cct.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads JobRunr's own records of a job, to prove what ran and how often. */
public final class Jobs {

	private static final Pattern PROCESSING = Pattern.compile("org\\.jobrunr\\.jobs\\.states\\.ProcessingState");

	private static final Pattern FAILED = Pattern.compile("org\\.jobrunr\\.jobs\\.states\\.FailedState");

	/** The interface the notification jobs are enqueued on (their JobRunr signature starts with it). */
	private static final String NOTIFICATION_JOB = "com.cct.job.NotificationJob";

	private Jobs() {
	}

	/** How many times JobRunr started the job (its history's processing states). */
	public static int timesStarted(TestStack stack, String jobId) throws SQLException {
		try (Connection db = stack.database()) {
			return timesStarted(db, jobId);
		}
	}

	/** The same, in the database {@code db} is connected to. */
	public static int timesStarted(Connection db, String jobId) throws SQLException {
		try (PreparedStatement sql = db.prepareStatement("select jobasjson from jobrunr_jobs where id = ?")) {
			sql.setString(1, jobId);
			try (ResultSet rows = sql.executeQuery()) {
				return rows.next() ? count(PROCESSING, rows.getString(1)) : 0;
			}
		}
	}

	/** The job's current state (ENQUEUED, PROCESSING, SUCCEEDED...), or null when there is no such job. */
	public static String state(Connection db, String jobId) throws SQLException {
		try (PreparedStatement sql = db.prepareStatement("select state from jobrunr_jobs where id = ?")) {
			sql.setString(1, jobId);
			try (ResultSet rows = sql.executeQuery()) {
				return rows.next() ? rows.getString(1) : null;
			}
		}
	}

	/**
	 * How many times the notification jobs about the task failed so far (their histories' failed
	 * states; JobRunr schedules a retry after each one).
	 */
	public static int notificationFailures(TestStack stack, String taskId) throws SQLException {
		try (Connection db = stack.database();
				PreparedStatement sql = db.prepareStatement(
						"select jobasjson from jobrunr_jobs where jobsignature like ? and jobasjson like ?")) {
			sql.setString(1, NOTIFICATION_JOB + ".%");
			sql.setString(2, "%\"" + taskId + "\"%");
			try (ResultSet rows = sql.executeQuery()) {
				int failures = 0;
				while (rows.next()) {
					failures += count(FAILED, rows.getString(1));
				}
				return failures;
			}
		}
	}

	private static int count(Pattern pattern, String json) {
		Matcher matcher = pattern.matcher(json);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	public static String serverOf(TestStack stack, String jobId) throws SQLException {
		try (Connection db = stack.database();
				PreparedStatement sql = db.prepareStatement("select jobasjson from jobrunr_jobs where id = ?")) {
			sql.setString(1, jobId);
			try (ResultSet rows = sql.executeQuery()) {
				rows.next();
				Matcher matcher = Pattern.compile("\"serverId\"\\s*:\\s*\"([^\"]+)\"").matcher(rows.getString(1));
				return matcher.find() ? matcher.group(1) : "";
			}
		}
	}

	public static void delete(TestStack stack, String jobId) throws SQLException {
		try (Connection db = stack.database();
				PreparedStatement sql = db.prepareStatement("delete from jobrunr_jobs where id = ?")) {
			sql.setString(1, jobId);
			sql.executeUpdate();
		}
	}

}
