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

	private Jobs() {
	}

	/** How many times JobRunr started the job (its history's processing states). */
	public static int timesStarted(TestStack stack, String jobId) throws SQLException {
		try (Connection db = stack.database();
				PreparedStatement sql = db.prepareStatement("select jobasjson from jobrunr_jobs where id = ?")) {
			sql.setString(1, jobId);
			try (ResultSet rows = sql.executeQuery()) {
				if (!rows.next()) {
					return 0;
				}
				Matcher matcher = PROCESSING.matcher(rows.getString(1));
				int count = 0;
				while (matcher.find()) {
					count++;
				}
				return count;
			}
		}
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
