package com.cct.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import com.cct.format.Format;
import com.cct.task.FileNames;
import com.cct.task.Task;

class FileStorageTests {

	@TempDir
	Path root;

	FileStorage storage;

	@BeforeEach
	void setUp() {
		this.storage = new FileStorage(new StorageSettings(this.root));
	}

	static Task task(UUID userId, String originalFile) {
		return Task.uploaded(UUID.randomUUID(), userId, "song.mp3", Format.MP3, Format.OGG, null, 3, originalFile,
				FileStorage.newStoredName("ogg"), false, null, Instant.now());
	}

	static Task task() {
		return task(UUID.randomUUID(), FileStorage.newStoredName("mp3"));
	}

	@Nested
	class StoredNames {

		@ParameterizedTest
		@ValueSource(strings = { "mp3", "ogg", "7z", "tar.gz", "tar.bz2", "jpg", "tiff", "bin", "d" })
		void newNamesAreStoredNames(String extension) {
			String name = FileStorage.newStoredName(extension);
			assertThat(name).matches("[0-9a-f]{32}\\." + extension.replace(".", "\\."));
			assertThat(FileStorage.isStoredName(name)).isTrue();
		}

		@Test
		void newNamesAreUnguessable() {
			Set<String> names = new HashSet<>();
			for (int i = 0; i < 1000; i++) {
				names.add(FileStorage.newStoredName("bin"));
			}
			assertThat(names).hasSize(1000);
		}

		@ParameterizedTest
		@NullAndEmptySource
		@ValueSource(strings = { "../x", "a/b", "..", "0123456789ABCDEF0123456789abcdef.mp3",
				"0123456789abcdef0123456789abcdef.MP3", "0123456789abcdef0123456789abcde.mp3",
				"0123456789abcdef0123456789abcdef0.mp3", "0123456789abcdef0123456789abcdef",
				"0123456789abcdef0123456789abcdef.", "0123456789abcdef0123456789abcdef.mp3/",
				"../0123456789abcdef0123456789abcdef.mp3", "0123456789abcdef0123456789abcdef.a.b.c",
				"0123456789abcdef0123456789abcdef.waytoolong", ".part-0123456789abcdef0123456789abcdef.mp3",
				"0123456789abcdef0123456789abcdef.mp3\n", "0123456789abcdef0123456789abcdef.m p" })
		void refusesAnythingElse(String name) {
			assertThat(FileStorage.isStoredName(name)).isFalse();
		}

	}

	@Nested
	class Layout {

		@Test
		void aTaskFolderIsRootUserTask() {
			Task task = task();
			assertThat(storage.taskFolder(task))
				.isEqualTo(root.toAbsolutePath().resolve(task.userId().toString()).resolve(task.id().toString()));
			assertThat(storage.original(task)).isEqualTo(storage.taskFolder(task).resolve(task.originalFile()));
			assertThat(storage.processed(task)).isEqualTo(storage.taskFolder(task).resolve(task.processedFile()));
		}

		@Test
		void theRootIsAbsoluteAndNormalised() {
			FileStorage relative = new FileStorage(new StorageSettings(Path.of("data/../data/./x")));
			assertThat(relative.root()).isAbsolute().isEqualTo(Path.of("data/x").toAbsolutePath());
		}

		@Test
		void refusesAnOriginalThatIsNoStoredName() {
			Task hostile = task(UUID.randomUUID(), "../../../etc/passwd");
			assertThatThrownBy(() -> storage.original(hostile)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("not a stored file name");
		}

		@Test
		void createFolderCreatesTheTaskFolder() {
			Task task = task();
			Path folder = storage.createFolder(task);
			assertThat(folder).isDirectory().isEqualTo(storage.taskFolder(task));
			assertThat(storage.createFolder(task)).isEqualTo(folder);
		}

	}

	@Nested
	class Temporaries {

		@Test
		void tempFilesAndFoldersLiveInTheTaskFolderUnderTheTempPrefix() {
			Task task = task();
			Path file = storage.newTempFile(task, "ogg");
			Path folder = storage.newTempFolder(task);
			assertThat(file.getParent()).isEqualTo(storage.taskFolder(task)).isDirectory();
			assertThat(file.getFileName().toString()).startsWith(FileStorage.TEMP_PREFIX).endsWith(".ogg");
			assertThat(file).doesNotExist();
			assertThat(folder).isDirectory().hasParent(storage.taskFolder(task));
			assertThat(folder.getFileName().toString()).startsWith(FileStorage.TEMP_PREFIX);
			assertThat(storage.newTempFile(task, "ogg")).isNotEqualTo(file);
		}

		@Test
		void deleteTemporariesKeepsTheOriginalAndTheResult() throws IOException {
			Task task = task();
			Files.createDirectories(storage.taskFolder(task));
			Files.writeString(storage.original(task), "original");
			Files.writeString(storage.processed(task), "result");
			Files.writeString(storage.newTempFile(task, "ogg"), "half");
			Path folder = storage.newTempFolder(task);
			Files.createDirectories(folder.resolve("deep/er"));
			Files.writeString(folder.resolve("deep/er/entry.txt"), "entry");

			storage.deleteTemporaries(task);

			try (var left = Files.list(storage.taskFolder(task))) {
				assertThat(left).containsExactlyInAnyOrder(storage.original(task), storage.processed(task));
			}
			assertThat(storage.original(task)).hasContent("original");
			assertThat(storage.processed(task)).hasContent("result");
		}

		@Test
		void deleteTemporariesOfATaskWithoutFolderDoesNothing() {
			Task task = task();
			storage.deleteTemporaries(task);
			assertThat(storage.taskFolder(task)).doesNotExist();
		}

	}

	@Nested
	class Publishing {

		@Test
		void publishMovesTheTempFileToItsFinalName() throws IOException {
			Task task = task();
			Path temp = storage.newTempFile(task, "ogg");
			Files.writeString(temp, "converted");

			storage.publish(temp, storage.processed(task));

			assertThat(temp).doesNotExist();
			assertThat(storage.processed(task)).hasContent("converted");
		}

		@Test
		void publishReplacesAnEarlierResult() throws IOException {
			Task task = task();
			storage.createFolder(task);
			Files.writeString(storage.processed(task), "older run");
			Path temp = storage.newTempFile(task, "ogg");
			Files.writeString(temp, "newer run");

			storage.publish(temp, storage.processed(task));

			assertThat(storage.processed(task)).hasContent("newer run");
		}

		@Test
		void deleteResultRemovesOnlyTheResult() throws IOException {
			Task task = task();
			storage.createFolder(task);
			Files.writeString(storage.original(task), "original");
			Files.writeString(storage.processed(task), "result");

			storage.deleteResult(task);
			storage.deleteResult(task);

			assertThat(storage.processed(task)).doesNotExist();
			assertThat(storage.original(task)).exists();
		}

	}

	@Nested
	class SharingAnOriginal {

		@Test
		void linksTheSameBytesUnderTheOtherTasksOwnNameAndEachSurvivesTheOthersDelete() throws IOException {
			UUID user = UUID.randomUUID();
			Task from = task(user, FileStorage.newStoredName("mp3"));
			Task to = task(user, FileStorage.newStoredName("mp3"));
			storage.createFolder(from);
			Files.writeString(storage.original(from), "original");

			storage.shareOriginal(from, to);

			assertThat(storage.original(to)).hasContent("original");
			assertThat(Files.isSameFile(storage.original(from), storage.original(to))).isTrue();
			assertThat(Files.getAttribute(storage.original(to), "unix:nlink")).isEqualTo(2);
			storage.deleteTask(from);
			assertThat(storage.original(to)).hasContent("original");
			assertThat(Files.getAttribute(storage.original(to), "unix:nlink")).isEqualTo(1);
		}

		@Test
		void copiesAcrossFileSystems() throws IOException {
			// the other task's user folder on another file system (tmpfs): a hard link cannot cross
			Path elsewhere = Files.createTempDirectory(Path.of("/dev/shm"), "cct-share-");
			try {
				assertThat(Files.getFileStore(elsewhere)).isNotEqualTo(Files.getFileStore(root));
				UUID user = UUID.randomUUID();
				Files.createSymbolicLink(root.resolve(user.toString()), elsewhere);
				Task from = task();
				Task to = task(user, FileStorage.newStoredName("mp3"));
				storage.createFolder(from);
				Files.writeString(storage.original(from), "original");

				storage.shareOriginal(from, to);

				assertThat(storage.original(to)).hasContent("original");
				assertThat(Files.isSameFile(storage.original(from), storage.original(to))).isFalse();
				try (var left = Files.list(storage.taskFolder(to))) {
					assertThat(left).as("no temporary left").containsExactly(storage.original(to));
				}
			}
			finally {
				org.springframework.util.FileSystemUtils.deleteRecursively(elsewhere);
			}
		}

		@Test
		void anOriginalThatIsGoneIsNoSuchFile() {
			Task from = task();
			Task to = task();
			assertThatThrownBy(() -> storage.shareOriginal(from, to)).isInstanceOf(java.nio.file.NoSuchFileException.class);
		}

	}

	@Nested
	class DeletingATask {

		@Test
		void removesTheFolderAndTheEmptiedUserFolder() throws IOException {
			Task task = task();
			storage.createFolder(task);
			Files.writeString(storage.original(task), "original");
			storage.newTempFolder(task);

			storage.deleteTask(task);

			assertThat(storage.taskFolder(task)).doesNotExist();
			assertThat(root.resolve(task.userId().toString())).doesNotExist();
			assertThat(root).isEmptyDirectory();
		}

		@Test
		void keepsTheUserFolderWhileOtherTasksAreInIt() throws IOException {
			UUID user = UUID.randomUUID();
			Task gone = task(user, FileStorage.newStoredName("mp3"));
			Task kept = task(user, FileStorage.newStoredName("mp3"));
			storage.createFolder(gone);
			storage.createFolder(kept);
			Files.writeString(storage.original(kept), "kept");

			storage.deleteTask(gone);

			assertThat(storage.taskFolder(gone)).doesNotExist();
			assertThat(storage.original(kept)).hasContent("kept");
		}

		@Test
		void deletingATaskThatHasNoFolderIsHarmless() {
			Task task = task();
			storage.deleteTask(task);
			assertThat(root).isEmptyDirectory();
		}

	}

	@Test
	void everyRawExtensionAnUploadMayKeepIsAStoredName() {
		// a file of no known format keeps an extension of up to 8 characters (notes.markdown)
		assertThat(FileStorage.isStoredName(FileStorage.newStoredName(FileNames.rawExtension("notes.markdown"))))
			.isTrue();
		assertThat(FileStorage.isStoredName(FileStorage.newStoredName("ipynb"))).isTrue();
	}
}
