package com.cct.task;

import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import com.cct.web.Problems;

/**
 * The problems for an account at one of its limits. Too many unfinished tasks or uploads in the last
 * hour are 429 with {@code Retry-After}: waiting helps. A full storage quota is 413 Content Too
 * Large: the request's content is more than this account may still store, and only the owner can
 * change that (by deleting tasks). Not 507 Insufficient Storage: that is a 5xx, a server fault,
 * which clients and load balancers retry and count as an outage, while here the server is fine and
 * retrying the same upload can never succeed.
 */
public final class LimitProblems {

	private LimitProblems() {
	}

	public static ErrorResponseException of(UsageLimitException ex, boolean retry) {
		ErrorResponseException problem = switch (ex.limit()) {
			case ACTIVE_TASKS -> Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-active-tasks",
					"Too many unfinished tasks",
					"You have " + ex.used() + " unfinished tasks (uploaded or converting); " + ex.allowed()
							+ " is the most one account may have. Wait for some to finish, or cancel some, before you "
							+ (retry ? "retry this one." : "upload more."));
			case UPLOADS_PER_HOUR -> Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "upload-rate", "Too many uploads",
					"You uploaded " + ex.used() + " files in the last hour; " + ex.allowed()
							+ " is the most one account may upload in an hour. Try again in "
							+ seconds(ex) + " seconds.");
			case STORAGE_QUOTA -> Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "storage-quota", "Storage quota full",
					"Your files take " + bytes(ex.used()) + " of your " + bytes(ex.allowed()) + "; this file ("
							+ bytes(ex.requested()) + ") does not fit. Delete tasks you no longer need to make room.");
		};
		problem.getBody().setProperty("limit", ex.allowed());
		problem.getBody().setProperty("used", ex.used());
		if (ex.retryAfter() != null) {
			problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(ex)));
		}
		return problem;
	}

	private static long seconds(UsageLimitException ex) {
		return Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000);
	}

	/** A size as people read it: 1.5 GB, 320 KB, 12 bytes (units of 1024, as CCT_ sizes are). */
	static String bytes(long value) {
		String[] units = { "KB", "MB", "GB", "TB" };
		if (value < 1024) {
			return value + (value == 1 ? " byte" : " bytes");
		}
		double scaled = value;
		int unit = -1;
		while (scaled >= 1024 && unit < units.length - 1) {
			scaled /= 1024;
			unit++;
		}
		return (scaled < 10 && scaled != Math.floor(scaled) ? String.format(Locale.ROOT, "%.1f", scaled)
				: Long.toString(Math.round(scaled))) + " " + units[unit];
	}

}
