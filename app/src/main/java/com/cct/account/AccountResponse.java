package com.cct.account;

import java.util.UUID;

import com.cct.task.Usage;
import com.cct.task.UserLimits;

/** The account and its usage against each limit. */
record AccountResponse(UUID id, String username, String email, UsageResponse usage) {

	/** One limit: how much is used and how much is allowed. */
	record Measure(long used, long limit) {
	}

	record UsageResponse(Measure activeTasks, Measure storedBytes, Measure uploadsLastHour) {

		static UsageResponse of(Usage usage, UserLimits limits) {
			return new UsageResponse(new Measure(usage.activeTasks(), limits.activeTasks()),
					new Measure(usage.storedBytes(), limits.storageQuota().toBytes()),
					new Measure(usage.uploadsLastHour(), limits.uploadsPerHour()));
		}

	}

}
