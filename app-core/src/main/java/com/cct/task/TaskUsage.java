package com.cct.task;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.cct.task.UsageLimitException.Limit;

/**
 * Counts what an account uses, from PostgreSQL so every web process sees the same figures, and
 * admits uploads and retries against its {@link UserLimits}. Admission runs inside the caller's
 * transaction and first takes a transaction-scoped advisory lock on the account
 * ({@code pg_advisory_xact_lock}): two uploads of one account, on any web process, are counted one
 * after the other, so they cannot both take the last free place. The lock is released by the commit
 * that stores the task, so the next admission sees it.
 */
@Component
public class TaskUsage {

	/** The window of {@link UserLimits#uploadsPerHour()}. */
	public static final Duration UPLOAD_WINDOW = Duration.ofHours(1);

	/** Unfinished tasks end at their own pace: a guess at when one place is free again. */
	static final Duration ACTIVE_RETRY_AFTER = Duration.ofSeconds(30);

	/** The first key of our advisory locks (the two-key form; it never meets Flyway's one-key locks). */
	private static final int LOCK_CLASS = 0x0cc7;

	private final JdbcTemplate jdbc;

	private final UserLimits limits;

	private final Clock clock;

	TaskUsage(JdbcTemplate jdbc, UserLimits limits, Clock clock) {
		this.jdbc = jdbc;
		this.limits = limits;
		this.clock = clock;
	}

	public UserLimits limits() {
		return this.limits;
	}

	public Usage of(UUID userId) {
		Instant since = this.clock.instant().minus(UPLOAD_WINDOW);
		// an original shared by several tasks (a batch, a later /convert) counts once per group
		// coalesce(original_of, id), for as long as one task of the group is left (see V9); both tables
		// in one round trip, as this runs under the account's lock on every upload
		return this.jdbc.queryForObject("""
				select tasks.active, tasks.stored, log.uploads, log.oldest from
				(select count(*) filter (where status in ('uploaded', 'processing')) as active,
				coalesce(sum(coalesce(processed_size_bytes, 0)), 0)
				+ coalesce((select sum(bytes) from (select max(size_bytes) as bytes from tasks where user_id = ?
				group by coalesce(original_of, id)) as originals), 0) as stored
				from tasks where user_id = ?) as tasks,
				(select count(*) as uploads, min(uploaded_at) as oldest from upload_log
				where user_id = ? and uploaded_at > ?) as log""", (row, n) -> {
			Timestamp oldest = row.getTimestamp(4);
			return new Usage(row.getLong(1), row.getLong(2), row.getLong(3), oldest == null ? null : oldest.toInstant());
		}, userId, userId, userId, Timestamp.from(since));
	}

	/**
	 * Admits a new upload of {@code sizeBytes} and logs it, or throws {@link UsageLimitException}.
	 * Must run in the transaction that inserts the task.
	 */
	void admitUpload(UUID userId, long sizeBytes) {
		admit(userId, 1, sizeBytes, true);
	}

	/**
	 * Admits {@code newTasks} tasks at once, all or none: one upload of {@code sizeBytes} to several
	 * targets ({@code upload} true: logged once against the hourly limit), or a conversion of an
	 * original already stored ({@code sizeBytes} 0, {@code upload} false: no bytes were received).
	 * Each new task takes a place under the active-task limit. Must run in the transaction that
	 * inserts the tasks.
	 */
	void admit(UUID userId, int newTasks, long sizeBytes, boolean upload) {
		lock(userId);
		Instant now = this.clock.instant();
		Usage usage = of(userId);
		checkActive(usage, newTasks);
		if (!upload) {
			return;
		}
		if (usage.uploadsLastHour() >= this.limits.uploadsPerHour()) {
			Instant free = usage.oldestUploadInWindow() == null ? now : usage.oldestUploadInWindow().plus(UPLOAD_WINDOW);
			Duration wait = Duration.between(now, free);
			throw new UsageLimitException(Limit.UPLOADS_PER_HOUR, usage.uploadsLastHour(), this.limits.uploadsPerHour(), 0,
					wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
		}
		long quota = this.limits.storageQuota().toBytes();
		if (usage.storedBytes() + sizeBytes > quota) {
			throw new UsageLimitException(Limit.STORAGE_QUOTA, usage.storedBytes(), quota, sizeBytes, null);
		}
		// one round trip: the account's entries that left the window go as the new one comes
		this.jdbc.update("""
				with expired as (delete from upload_log where user_id = ? and uploaded_at <= ?)
				insert into upload_log (user_id, uploaded_at) values (?, ?)""", userId,
				Timestamp.from(now.minus(UPLOAD_WINDOW)), userId, Timestamp.from(now));
	}

	/** Admits a retry, which makes a task unfinished again. Must run in the transaction that re-arms it. */
	void admitRetry(UUID userId) {
		lock(userId);
		checkActive(of(userId), 1);
	}

	private void checkActive(Usage usage, int newTasks) {
		if (usage.activeTasks() + newTasks > this.limits.activeTasks()) {
			throw new UsageLimitException(Limit.ACTIVE_TASKS, usage.activeTasks(), this.limits.activeTasks(), 0,
					ACTIVE_RETRY_AFTER);
		}
	}

	private void lock(UUID userId) {
		this.jdbc.query("select pg_advisory_xact_lock(?, hashtext(?))", row -> {
		}, LOCK_CLASS, userId.toString());
	}

}
