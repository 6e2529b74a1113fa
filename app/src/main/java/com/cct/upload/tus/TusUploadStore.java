package com.cct.upload.tus;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.cct.upload.TaskUploads;

/**
 * The {@code tus_uploads} rows. Offset, length, metadata, owner and expiry live in PostgreSQL, not in
 * the partial file's size: several web processes may serve one upload, the row lock serialises their
 * PATCHes, and the offset commits only what was written completely (a crash mid-write leaves extra
 * bytes in the file, which the next PATCH cuts off).
 */
@Repository
class TusUploadStore {

	private static final String COLUMNS = "id, user_id, upload_length, upload_offset, metadata, file_name, new_format, quality, notify, head_checked, expires_at";

	private static final String LOCK_NOT_AVAILABLE = "55P03";

	private final JdbcTemplate jdbc;

	TusUploadStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void insert(TusUpload upload, Instant now) {
		TaskUploads.Fields fields = upload.fields();
		this.jdbc.update("""
				insert into tus_uploads (id, user_id, upload_length, upload_offset, metadata, file_name, new_format,
				quality, notify, head_checked, created_at, expires_at) values (?, ?, ?, 0, ?, ?, ?, ?, ?, false, ?, ?)""",
				upload.id(), upload.userId(), upload.length(), upload.metadata(), fields.fileName(), fields.newFormat(),
				fields.quality(), fields.notifyOwner(), Timestamp.from(now), Timestamp.from(upload.expiresAt()));
	}

	/** The owner's live upload; another user's, or an expired one, is none. */
	Optional<TusUpload> find(UUID id, UUID userId, Instant now) {
		return this.jdbc
			.query("select " + COLUMNS + " from tus_uploads where id = ? and user_id = ? and expires_at > ?",
					TusUploadStore::row, id, userId, Timestamp.from(now))
			.stream()
			.findFirst();
	}

	/**
	 * The owner's live upload, locked until the surrounding transaction ends; empty when there is none.
	 * Throws {@link UploadBusyException} when another request holds it.
	 */
	Optional<TusUpload> lock(UUID id, UUID userId, Instant now) {
		try {
			return this.jdbc
				.query("select " + COLUMNS
						+ " from tus_uploads where id = ? and user_id = ? and expires_at > ? for update nowait",
						TusUploadStore::row, id, userId, Timestamp.from(now))
				.stream()
				.findFirst();
		}
		catch (DataAccessException ex) {
			// 55P03 lock_not_available; Spring names it CannotAcquireLockException or leaves it uncategorized
			if (ex.getMostSpecificCause() instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
				throw new UploadBusyException();
			}
			throw ex;
		}
	}

	void advance(UUID id, long offset, boolean headChecked, Instant expiresAt) {
		this.jdbc.update("update tus_uploads set upload_offset = ?, head_checked = ?, expires_at = ? where id = ?", offset,
				headChecked, Timestamp.from(expiresAt), id);
	}

	void delete(UUID id) {
		this.jdbc.update("delete from tus_uploads where id = ?", id);
	}

	/** Pending uploads of an account: they count against its limits before they are tasks. */
	long[] pendingCountAndBytes(UUID userId) {
		return this.jdbc.queryForObject(
				"select count(*), coalesce(sum(upload_length), 0) from tus_uploads where user_id = ?",
				(row, n) -> new long[] { row.getLong(1), row.getLong(2) }, userId);
	}

	/** Deletes the expired rows nobody is writing to; returns (id, user) of each. */
	List<UUID[]> deleteExpired(Instant now) {
		return this.jdbc.query("""
				delete from tus_uploads where id in
				(select id from tus_uploads where expires_at <= ? for update skip locked) returning id, user_id""",
				(row, n) -> new UUID[] { row.getObject(1, UUID.class), row.getObject(2, UUID.class) },
				Timestamp.from(now));
	}

	private static TusUpload row(ResultSet row, int n) throws SQLException {
		return new TusUpload(row.getObject("id", UUID.class), row.getObject("user_id", UUID.class),
				row.getLong("upload_length"), row.getLong("upload_offset"), row.getString("metadata"),
				new TaskUploads.Fields(row.getString("file_name"), row.getString("new_format"), row.getString("quality"),
						row.getString("notify")),
				row.getBoolean("head_checked"), row.getTimestamp("expires_at").toInstant());
	}

}
