package com.cct.task;

import java.time.Duration;

/**
 * An upload or retry refused because the account reached one of its {@link UserLimits}.
 *
 * @see TaskUsage
 */
public class UsageLimitException extends RuntimeException {

	/** Which limit was reached. */
	public enum Limit {
		ACTIVE_TASKS, STORAGE_QUOTA, UPLOADS_PER_HOUR
	}

	private final Limit limit;

	private final long used;

	private final long allowed;

	private final long requested;

	private final Duration retryAfter;

	public UsageLimitException(Limit limit, long used, long allowed, long requested, Duration retryAfter) {
		super(limit + ": " + used + " of " + allowed + (requested > 0 ? " (+" + requested + ")" : ""));
		this.limit = limit;
		this.used = used;
		this.allowed = allowed;
		this.requested = requested;
		this.retryAfter = retryAfter;
	}

	public Limit limit() {
		return this.limit;
	}

	public long used() {
		return this.used;
	}

	public long allowed() {
		return this.allowed;
	}

	/** What the refused request would have added (the upload's bytes for the storage quota), else 0. */
	public long requested() {
		return this.requested;
	}

	/** When trying again can succeed without the owner doing anything; null when only deleting helps. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
