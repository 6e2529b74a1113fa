package com.cct.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.util.FileSystemUtils;

import com.cct.task.Task;

/**
 * The folder backend, and the naming rules both backends share. Owns the layout
 * {@code {root}/{userId}/{taskId}/}: one folder per task holding its original, its result, and while
 * it runs, temporary files whose names start with {@value #TEMP_PREFIX} so they can never be mistaken
 * for the result. Names inside a folder are generated here, never taken from users. Every process
 * mounts the same root (one host, or NFS); a conversion works in the task's folder itself.
 */
public class FileStorage implements TaskFiles {

	static final String TEMP_PREFIX = ".part-";

	/** Where an upload's bytes go while they arrive: a process that dies mid-upload leaves these behind. */
	public static final String UPLOAD_TEMP_PREFIX = TEMP_PREFIX + "upload-";

	private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{32}\\.[0-9a-z]{1,8}(\\.[0-9a-z]{1,4})?");

	private static final Pattern TASK_ID = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

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

	static String randomHex() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	public static boolean isStoredName(String name) {
		return name != null && STORED_NAME.matcher(name).matches();
	}

	/** The name of a stored file, checked: a hostile row can never point outside its task's files. */
	static String checked(String name) {
		if (!isStoredName(name)) {
			throw new IllegalStateException("not a stored file name: " + name);
		}
		return name;
	}

	static boolean isTaskId(String name) {
		return TASK_ID.matcher(name).matches();
	}

	@Override
	public void checkReady() {
		try {
			Files.createDirectories(this.root);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create the storage folder " + this.root
					+ "; set CCT_STORAGE_ROOT to a writable folder", ex);
		}
	}

	@Override
	public void claimScratch() {
		// conversions work in the task's own folder
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
		return workspaceIn(createFolder(task), task).newTempFile(suffix);
	}

	/** A new temporary name inside the task's folder that says nothing of a format (no extension). */
	public Path newTempFile(Task task) {
		return workspaceIn(createFolder(task), task).newTempFile();
	}

	/** A new temporary folder inside the task's folder (for archive extraction). */
	public Path newTempFolder(Task task) {
		return workspaceIn(createFolder(task), task).newTempFolder();
	}

	public Path createFolder(Task task) {
		try {
			return Files.createDirectories(taskFolder(task));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public long storeOriginal(UUID userId, UUID taskId, String originalFile, InputStream content) throws IOException {
		Path folder = Files.createDirectories(taskFolder(userId, taskId));
		Path target = folder.resolve(checked(originalFile));
		Path temp = folder.resolve(UPLOAD_TEMP_PREFIX + randomHex());
		try {
			long size;
			try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
				// the upload reader's streams write their buffer's slices (64 KB) straight to the file
				size = content.transferTo(out);
			}
			publish(temp, target);
			return size;
		}
		catch (IOException | RuntimeException | Error ex) {
			deleteTask(userId, taskId);
			throw ex;
		}
	}

	@Override
	public Optional<Resource> openOriginal(Task task) {
		return opened(original(task));
	}

	@Override
	public Optional<Resource> openResult(Task task) {
		return opened(processed(task));
	}

	private static Optional<Resource> opened(Path path) {
		return Files.isRegularFile(path) ? Optional.of(new FileSystemResource(path)) : Optional.empty();
	}

	@Override
	public Workspace workspace(Task task) {
		Path folder = createFolder(task);
		// leftovers of an attempt that died with its worker
		deleteTemporaries(task);
		return workspaceIn(folder, task);
	}

	private Workspace workspaceIn(Path folder, Task task) {
		return new Workspace() {

			@Override
			public Task task() {
				return task;
			}

			@Override
			public Path folder() {
				return folder;
			}

			@Override
			public Path input() throws NoSuchFileException {
				Path input = original(task);
				if (!Files.isRegularFile(input)) {
					throw new NoSuchFileException(input.getFileName().toString());
				}
				return input;
			}

			@Override
			public long publish(Path temp) throws IOException {
				Path result = processed(task);
				FileStorage.this.publish(temp, result);
				// once the task reads processed, its folder holds the original and the result, nothing else
				deleteTemporaries(task);
				return Files.size(result);
			}

			@Override
			public void close() {
				deleteTemporaries(task);
			}

		};
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
	@Override
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
	@Override
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

	@Override
	public void deleteResult(Task task) {
		try {
			Files.deleteIfExists(processed(task));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void deleteTask(UUID userId, UUID taskId) {
		try {
			FileSystemUtils.deleteRecursively(taskFolder(userId, taskId));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Path userFolder = this.root.resolve(userId.toString());
		try (Stream<Path> left = Files.list(userFolder)) {
			if (left.findAny().isEmpty()) {
				Files.deleteIfExists(userFolder);
			}
		}
		catch (IOException ex) {
			// another upload of the same user may have just created a folder there: keep it
		}
	}

	@Override
	public int sweepOrphans(Instant before, Predicate<UUID> taskExists) {
		FileTime limit = FileTime.from(before);
		int swept = 0;
		try (DirectoryStream<Path> users = Files.newDirectoryStream(this.root, FileStorage::isTaskIdFolder)) {
			for (Path user : users) {
				try (DirectoryStream<Path> tasks = Files.newDirectoryStream(user, FileStorage::isTaskIdFolder)) {
					for (Path folder : tasks) {
						UUID taskId = UUID.fromString(folder.getFileName().toString());
						if (Files.getLastModifiedTime(folder).compareTo(limit) < 0 && !taskExists.test(taskId)) {
							deleteTask(UUID.fromString(user.getFileName().toString()), taskId);
							swept++;
						}
					}
				}
			}
		}
		catch (NoSuchFileException ex) {
			// nothing stored yet, or deleted meanwhile
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return swept;
	}

	private static boolean isTaskIdFolder(Path path) {
		return isTaskId(path.getFileName().toString()) && Files.isDirectory(path);
	}

}
