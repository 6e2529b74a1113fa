package com.cct.conversion;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxJobDuration the ceiling of any conversion's deadline ({@code CCT_MAX_JOB_DURATION});
 * converters tighten it from the input (media: a multiple of its duration)
 * @param progressInterval how often progress is published at most
 * @param wakeUps whether Redis wake-ups start new work at once ({@code CCT_WAKE_UPS}); without them
 * pickup waits for JobRunr's poll
 */
@ConfigurationProperties("cct.conversion")
public record ConversionSettings(@DefaultValue("30m") Duration maxJobDuration,
		@DefaultValue("500ms") Duration progressInterval, @DefaultValue("true") boolean wakeUps) {
}
