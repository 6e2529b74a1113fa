package com.cct.task;

import java.time.Instant;

/**
 * What an account uses now, as PostgreSQL counts it.
 *
 * @param activeTasks tasks uploaded or processing
 * @param storedBytes bytes of originals and results its tasks keep
 * @param uploadsLastHour uploads accepted in the last hour
 * @param oldestUploadInWindow the first of those, when it leaves the window a new upload fits; null
 * without any
 */
public record Usage(long activeTasks, long storedBytes, long uploadsLastHour, Instant oldestUploadInWindow) {
}
