package com.cct.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How long and how slowly a request body may arrive. Tomcat's own {@code connection-timeout} is per
 * read, so a client sending one byte every few seconds would otherwise hold a request thread for
 * as long as it likes.
 *
 * @param timeout the whole body must arrive within this ({@code CCT_UPLOAD_TIMEOUT})
 * @param minRate every {@code rateWindow} must bring at least this many bytes per second
 * ({@code CCT_UPLOAD_MIN_RATE}); the first window is the grace period
 * @param rateWindow how long the rate is averaged over ({@code CCT_UPLOAD_RATE_WINDOW})
 * @param concurrency requests whose body is being read at once, per web process
 * ({@code CCT_UPLOAD_CONCURRENCY}); more get 503 at once, so request threads stay free for the rest
 * @param spoolMaxAge spool files left behind by a crash are deleted once this old
 * ({@code CCT_UPLOAD_SPOOL_MAX_AGE}, at least twice the timeout)
 */
@ConfigurationProperties("cct.upload-guard")
record UploadGuardSettings(@DefaultValue("30m") Duration timeout, @DefaultValue("1KB") DataSize minRate,
		@DefaultValue("10s") Duration rateWindow, @DefaultValue("100") int concurrency,
		@DefaultValue("1h") Duration spoolMaxAge) {
}
