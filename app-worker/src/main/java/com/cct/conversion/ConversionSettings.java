package com.cct.conversion;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxJobDuration the ceiling of any conversion's deadline ({@code CCT_MAX_JOB_DURATION});
 * converters tighten it from the input (media: a multiple of its duration)
 * @param progressInterval how often progress is published at most
 * @param wakeUps whether Redis wake-ups start new work at once ({@code CCT_WAKE_UPS}); without them
 * pickup waits for JobRunr's poll
 * @param maxOutputSize the ceiling of any result ({@code CCT_MAX_OUTPUT_SIZE}); a conversion whose
 * result would be larger fails with a reason
 * @param processMaxMemory the address space each external process (ffmpeg and its helpers) may use
 * ({@code CCT_PROCESS_MAX_MEMORY})
 * @param userRunningTasks conversions of one account that run while another account waits with fewer
 * running ({@code CCT_USER_RUNNING_TASKS}); its further jobs are put back a few seconds; 0 turns this off
 */
@ConfigurationProperties("cct.conversion")
record ConversionSettings(@DefaultValue("30m") Duration maxJobDuration,
		@DefaultValue("500ms") Duration progressInterval, @DefaultValue("true") boolean wakeUps,
		@DefaultValue("4GB") DataSize maxOutputSize, @DefaultValue("2GB") DataSize processMaxMemory,
		@DefaultValue("1") int userRunningTasks) {
}
