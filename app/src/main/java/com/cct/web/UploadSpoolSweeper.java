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
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.cct.storage.FileStorage;
import com.cct.storage.TaskFiles;
import com.cct.system.Threads;

/**
 * An upload writes its file into the task folder under a temporary name ({@value #UPLOAD_TEMP}*)
 * and deletes it when the upload fails; a process that died mid-upload leaves it behind, in a
 * folder no task row points at. Those files (and the folder, when that leaves it empty) are deleted
 * at start-up and every 15 minutes once older than {@code CCT_UPLOAD_SPOOL_MAX_AGE} (default 1h,
 * never less than twice CCT_UPLOAD_TIMEOUT: an upload in progress keeps writing, so its age stays
 * small). Spool files of Tomcat's multipart parser ({@code .incoming/upload_*.tmp}), used before
 * uploads were streamed, go the same way. Several web VMs may share the storage; each only deletes
 * files nobody has written to for that long.
 */
@Component
class UploadSpoolSweeper implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(UploadSpoolSweeper.class);

	static final Duration EVERY = Duration.ofMinutes(15);

	static final String UPLOAD_TEMP = FileStorage.UPLOAD_TEMP_PREFIX;

	private final Path root;

	private final Duration maxAge;

	private final Clock clock;

	private final ScheduledExecutorService scheduler = Threads.scheduler("upload-spool-sweeper");

	UploadSpoolSweeper(TaskFiles storage, UploadGuardSettings guard, Clock clock) {
		// a bucket has no spool: a failed upload aborts its multipart upload, and retention removes
		// the unfinished ones of a process that died (S3Storage.sweepOrphans)
		this.root = storage instanceof FileStorage folder ? folder.root() : null;
		Duration configured = guard.spoolMaxAge();
		Duration floor = guard.timeout().multipliedBy(2);
		this.maxAge = configured.compareTo(floor) < 0 ? floor : configured;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.scheduler.scheduleWithFixedDelay(this::sweepQuietly, 0, EVERY.toSeconds(), TimeUnit.SECONDS);
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			log.warn("Sweeping abandoned uploads under {} failed: {}", this.root, ex.toString());
		}
	}

	/** Deletes abandoned upload files older than the maximum age; returns how many. */
	int sweep() {
		if (this.root == null || !Files.isDirectory(this.root)) {
			return 0;
		}
		Instant before = this.clock.instant().minus(this.maxAge);
		int deleted = sweepFolder(this.root.resolve(".incoming"), "upload_*.tmp", before);
		try (DirectoryStream<Path> users = Files.newDirectoryStream(this.root, UploadSpoolSweeper::isOwnerFolder)) {
			for (Path user : users) {
				try (DirectoryStream<Path> taskFolders = Files.newDirectoryStream(user, Files::isDirectory)) {
					for (Path task : taskFolders) {
						int gone = sweepFolder(task, UPLOAD_TEMP + "*", before);
						if (gone > 0) {
							deleteIfEmpty(task);
						}
						deleted += gone;
					}
				}
				catch (NoSuchFileException ex) {
					// deleted meanwhile
				}
			}
		}
		catch (IOException ex) {
			log.warn("Cannot sweep abandoned uploads under {}: {}", this.root, ex.toString());
		}
		if (deleted > 0) {
			log.info("Deleted {} abandoned upload files older than {} under {}", deleted, this.maxAge, this.root);
		}
		return deleted;
	}

	private static boolean isOwnerFolder(Path path) {
		return Files.isDirectory(path) && !path.getFileName().toString().startsWith(".");
	}

	private static int sweepFolder(Path folder, String glob, Instant before) {
		if (!Files.isDirectory(folder)) {
			return 0;
		}
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
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
			log.warn("Cannot sweep {}: {}", folder, ex.toString());
		}
		return deleted;
	}

	private static void deleteIfEmpty(Path folder) {
		try {
			Files.deleteIfExists(folder);
		}
		catch (IOException ex) {
			// not empty (an original, or another upload's file): kept
		}
	}

	Duration maxAge() {
		return this.maxAge;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
