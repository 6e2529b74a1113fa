package com.cct.upload.tus;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param expiry how long an unfinished resumable upload is kept after its last byte arrived
 * ({@code CCT_TUS_EXPIRY}); the sweep runs every quarter of it (between 1 second and 15 minutes)
 */
@ConfigurationProperties("cct.tus")
record TusSettings(@DefaultValue("24h") Duration expiry) {

	Duration sweepEvery() {
		Duration quarter = this.expiry.dividedBy(4);
		if (quarter.compareTo(Duration.ofSeconds(1)) < 0) {
			return Duration.ofSeconds(1);
		}
		return quarter.compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15) : quarter;
	}

}
