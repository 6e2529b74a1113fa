package com.cct.task;

import java.util.UUID;

import com.cct.web.Problems;

/** A malformed id names no task: 404, like an unknown one, so ids are never validated for probing. */
public final class TaskIds {

	private TaskIds() {
	}

	public static UUID parse(String id) {
		return parse(id, "No such task.");
	}

	/** The same rule for the ids of other resources (API keys, webhooks), with their own 404 detail. */
	public static UUID parse(String id, String notFoundDetail) {
		try {
			UUID uuid = UUID.fromString(id);
			if (!uuid.toString().equalsIgnoreCase(id)) {
				throw new IllegalArgumentException();
			}
			return uuid;
		}
		catch (IllegalArgumentException ex) {
			throw Problems.notFound(notFoundDetail);
		}
	}

}
