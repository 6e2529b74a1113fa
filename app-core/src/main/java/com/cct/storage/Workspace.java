package com.cct.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.cct.task.Task;

/**
 * The local folder one conversion attempt works in: the task's own folder with the folder backend
 * (the original is read in place), a scratch folder of the worker's with a bucket (the original is
 * copied in first). Temporary names start with {@value FileStorage#TEMP_PREFIX}, so they are never
 * mistaken for a result.
 */
public interface Workspace extends AutoCloseable {

	Task task();

	Path folder();

	/** The original as a local file; {@link java.nio.file.NoSuchFileException} when it was not stored. */
	Path input() throws IOException;

	/**
	 * Makes the finished temporary file the task's result, whole or not at all.
	 * @return the result's size in bytes
	 */
	long publish(Path temp) throws IOException;

	/** Removes the attempt's temporary files (and a scratch folder itself). */
	@Override
	void close();

	/** A new temporary file name beside the output, with the given extension. */
	default Path newTempFile(String extension) {
		return folder().resolve(FileStorage.TEMP_PREFIX + FileStorage.newStoredName(extension));
	}

	/** A new temporary file name that says nothing of a format (no extension). */
	default Path newTempFile() {
		return folder().resolve(FileStorage.TEMP_PREFIX + FileStorage.randomHex());
	}

	/** A new temporary folder (for archive extraction). */
	default Path newTempFolder() {
		try {
			return Files.createDirectory(newTempFile("d"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
