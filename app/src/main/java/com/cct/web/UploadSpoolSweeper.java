package com.cct.web;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.cct.system.Threads;

/**
 * Tomcat deletes an upload's spool file when its request ends; a process that died mid-upload
 * leaves it behind in the multipart location. Those are deleted at start-up and every 15 minutes
 * once they are older than {@code CCT_UPLOAD_SPOOL_MAX_AGE} (default 1h, never less than twice
 * CCT_UPLOAD_TIMEOUT: an upload in progress keeps writing to its file, so its age stays small).
 * Several web VMs may share the folder; each only deletes files nobody has written to for that long.
 */
@Component
class UploadSpoolSweeper implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(UploadSpoolSweeper.class);

	static final Duration EVERY = Duration.ofMinutes(15);

	private final Path spool;

	private final Duration maxAge;

	private final Clock clock;

	private final ScheduledExecutorService scheduler = Threads.scheduler("upload-spool-sweeper");

	UploadSpoolSweeper(MultipartProperties multipart, UploadGuardSettings guard, Clock clock) {
		this.spool = StringUtils.hasText(multipart.getLocation()) ? Path.of(multipart.getLocation()) : null;
		Duration configured = guard.spoolMaxAge();
		Duration floor = guard.timeout().multipliedBy(2);
		this.maxAge = configured.compareTo(floor) < 0 ? floor : configured;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (this.spool == null) {
			return;
		}
		this.scheduler.scheduleWithFixedDelay(this::sweepQuietly, 0, EVERY.toSeconds(), TimeUnit.SECONDS);
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			log.warn("Sweeping the upload spool {} failed: {}", this.spool, ex.toString());
		}
	}

	/** Deletes Tomcat's spool files ({@code upload_*.tmp}) older than the maximum age; returns how many. */
	int sweep() {
		if (this.spool == null || !Files.isDirectory(this.spool)) {
			return 0;
		}
		Instant before = this.clock.instant().minus(this.maxAge);
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.spool, "upload_*.tmp")) {
			for (Path file : files) {
				try {
					if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(before)
							&& Files.deleteIfExists(file)) {
						deleted++;
					}
				}
				catch (NoSuchFileException ex) {
					// finished (or swept by another web process) meanwhile
				}
			}
		}
		catch (IOException ex) {
			log.warn("Cannot sweep the upload spool {}: {}", this.spool, ex.toString());
		}
		if (deleted > 0) {
			log.info("Deleted {} upload spool files older than {} from {}", deleted, this.maxAge, this.spool);
		}
		return deleted;
	}

	Duration maxAge() {
		return this.maxAge;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
