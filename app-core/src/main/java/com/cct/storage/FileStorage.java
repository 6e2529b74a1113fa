package com.cct.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

import com.cct.task.Task;

/**
 * Owns the layout {@code {root}/{userId}/{taskId}/}: one folder per task holding its original, its
 * result, and while it runs, temporary files whose names start with {@value #TEMP_PREFIX} so they can
 * never be mistaken for the result. Names inside a folder are generated here, never taken from users.
 */
@Component
public class FileStorage {

	static final String TEMP_PREFIX = ".part-";

	private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{32}\\.[0-9a-z]{1,8}(\\.[0-9a-z]{1,4})?");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path root;

	public FileStorage(StorageSettings settings) {
		this.root = settings.root().toAbsolutePath().normalize();
	}

	public Path root() {
		return this.root;
	}

	/** A fresh unguessable single-segment name with the given extension. */
	public static String newStoredName(String extension) {
		return randomHex() + "." + extension;
	}

	private static String randomHex() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	public static boolean isStoredName(String name) {
		return name != null && STORED_NAME.matcher(name).matches();
	}

	public Path taskFolder(UUID userId, UUID taskId) {
		return this.root.resolve(userId.toString()).resolve(taskId.toString());
	}

	public Path taskFolder(Task task) {
		return taskFolder(task.userId(), task.id());
	}

	public Path original(Task task) {
		return taskFolder(task).resolve(checked(task.originalFile()));
	}

	public Path processed(Task task) {
		return taskFolder(task).resolve(checked(task.processedFile()));
	}

	/** A new temporary file inside the task's folder, which holds work in progress. */
	public Path newTempFile(Task task, String suffix) {
		Path folder = createFolder(task);
		return folder.resolve(TEMP_PREFIX + newStoredName(suffix));
	}

	/** A new temporary name inside the task's folder that says nothing of a format (no extension). */
	public Path newTempFile(Task task) {
		return createFolder(task).resolve(TEMP_PREFIX + randomHex());
	}

	/** A new temporary folder inside the task's folder (for archive extraction). */
	public Path newTempFolder(Task task) {
		Path folder = createFolder(task).resolve(TEMP_PREFIX + newStoredName("d"));
		try {
			return Files.createDirectory(folder);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Path createFolder(Task task) {
		try {
			return Files.createDirectories(taskFolder(task));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Moves a finished temporary file to its final name in one step, so readers never see half a file. */
	public void publish(Path temp, Path target) throws IOException {
		Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Gives {@code to} the original of {@code from} in its own folder, under {@code to}'s own name: a
	 * hard link, so both keep the bytes until the last of them is deleted and deleting one never
	 * breaks the other; a copy (temporary name, then published) where the file system has no links.
	 */
	public void shareOriginal(Task from, Task to) throws IOException {
		Path source = original(from);
		Path target = createFolder(to).resolve(checked(to.originalFile()));
		try {
			Files.createLink(target, source);
		}
		catch (UnsupportedOperationException | FileSystemException ex) {
			if (ex instanceof FileAlreadyExistsException || ex instanceof NoSuchFileException) {
				throw ex;
			}
			// another file system (EXDEV), or one without hard links
			Path temp = newTempFile(to, "tmp");
			try {
				Files.copy(source, temp);
				publish(temp, target);
			}
			finally {
				Files.deleteIfExists(temp);
			}
		}
	}

	/** Removes what a run left behind (temporary files and folders), keeping the original and result. */
	public void deleteTemporaries(Task task) {
		Path folder = taskFolder(task);
		if (!Files.isDirectory(folder)) {
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, TEMP_PREFIX + "*")) {
			for (Path entry : entries) {
				FileSystemUtils.deleteRecursively(entry);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void deleteResult(Task task) {
		try {
			Files.deleteIfExists(processed(task));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void deleteTaskFolder(Task task) {
		try {
			FileSystemUtils.deleteRecursively(taskFolder(task));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Path userFolder = this.root.resolve(task.userId().toString());
		try (Stream<Path> left = Files.list(userFolder)) {
			if (left.findAny().isEmpty()) {
				Files.deleteIfExists(userFolder);
			}
		}
		catch (IOException ex) {
			// another upload of the same user may have just created a folder there: keep it
		}
	}

	private static String checked(String name) {
		if (!isStoredName(name)) {
			throw new IllegalStateException("not a stored file name: " + name);
		}
		return name;
	}

}
