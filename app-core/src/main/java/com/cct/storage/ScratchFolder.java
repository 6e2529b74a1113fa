package com.cct.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.springframework.util.FileSystemUtils;

/**
 * A worker's local folder for conversions in progress with the bucket backend
 * ({@code CCT_SCRATCH_DIR}), one sub-folder per task. One worker owns it, by a lock on a file in it
 * held while the worker runs (the operating system drops it when the process dies), so whatever is in
 * it when a worker claims it was left by a worker that died, and goes.
 */
final class ScratchFolder implements AutoCloseable {

	private static final String LOCK_FILE = ".lock";

	private final Path root;

	private FileChannel channel;

	private FileLock lock;

	ScratchFolder(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	synchronized void claim() {
		if (this.lock != null) {
			return;
		}
		try {
			Files.createDirectories(this.root);
			FileChannel opened = FileChannel.open(this.root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			FileLock held;
			try {
				held = opened.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				held = null;
			}
			if (held == null) {
				opened.close();
				throw new IllegalStateException("The scratch folder " + this.root + " is used by another running "
						+ "worker: give each worker a CCT_SCRATCH_DIR of its own");
			}
			this.channel = opened;
			this.lock = held;
			// ours now: whatever is there was left by a worker that died
			try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(this.root,
					entry -> !entry.getFileName().toString().equals(LOCK_FILE))) {
				for (Path leftover : leftovers) {
					FileSystemUtils.deleteRecursively(leftover);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot use the scratch folder " + this.root
					+ "; set CCT_SCRATCH_DIR to a writable local folder", ex);
		}
	}

	/** The task's sub-folder, empty. */
	Path fresh(UUID taskId) throws IOException {
		claim();
		Path folder = this.root.resolve(taskId.toString());
		FileSystemUtils.deleteRecursively(folder);
		return Files.createDirectories(folder);
	}

	@Override
	public synchronized void close() throws IOException {
		if (this.channel != null) {
			this.channel.close();
		}
	}

}
