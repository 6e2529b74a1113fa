package com.cct.archive;

import static com.cct.archive.ArchiveFixtures.createWithSystemTool;
import static com.cct.archive.ArchiveFixtures.extractWithSystemTool;
import static com.cct.archive.ArchiveFixtures.randomBytes;
import static com.cct.archive.ArchiveFixtures.run;
import static com.cct.archive.ArchiveFixtures.snapshot;
import static com.cct.archive.ArchiveFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.ProcessScope;
import com.cct.conversion.RejectedInputException;
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;

class ArchiveConverterTests {

	@TempDir
	Path root;

	@TempDir
	Path work;

	FileStorage storage;

	final List<Double> progress = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		this.storage = new FileStorage(new StorageSettings(this.root));
	}

	@Test
	void handlesArchiveTargetsOnly() {
		ArchiveConverter converter = new ArchiveConverter(ArchiveSettings.defaults());
		assertThat(converter.handles(task("a.png", "png", "tar.bz2"))).isTrue();
		assertThat(converter.handles(task("a.zip", "zip", "7z"))).isTrue();
		assertThat(converter.handles(task("a.png", "png", "webp"))).isFalse();
	}

	@Nested
	class Packing {

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ", "TAR_BZ2", "TAR_XZ" })
		void packsTheUploadUnderItsNameReadableBySystemTools(Format target) throws Exception {
			byte[] bytes = randomBytes(700_000, 1);
			Task task = upload(task("holiday photo.png", "png", target.id()), bytes);

			Path result = convert(task, ArchiveSettings.defaults());

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(target, result, unpacked);
			assertThat(unpacked).isDirectoryContaining(path -> path.getFileName().toString().equals("holiday photo.png"));
			assertThat(unpacked.resolve("holiday photo.png")).hasBinaryContent(bytes);
			try (Stream<Path> all = Files.list(unpacked)) {
				assertThat(all).hasSize(1);
			}
			assertThat(progress).isNotEmpty().isSorted().allMatch(value -> value >= 0 && value <= 1);
			assertThat(progress.get(progress.size() - 1)).isEqualTo(1.0);
		}

		@Test
		void keepsOnlyTheLastSegmentOfAHostileName() throws Exception {
			byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
			Task task = upload(task("..\\..\\evil\u0007.txt", "png", "zip"), bytes);

			Path result = convert(task, ArchiveSettings.defaults());

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.ZIP, result, unpacked);
			assertThat(snapshot(work)).containsOnlyKeys("unpacked", "unpacked/evil.txt");
		}

		@Test
		void packsAnEmptyFile() throws Exception {
			Task task = upload(task("empty.txt", "png", "7z"), new byte[0]);

			Path result = convert(task, ArchiveSettings.defaults());

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.SEVEN_Z, result, unpacked);
			assertThat(unpacked.resolve("empty.txt")).isEmptyFile();
		}

		@Test
		void stopsWhenCancelled() throws Exception {
			Task task = upload(task("a.bin", "png", "zip"), randomBytes(200_000, 2));
			ProcessScope scope = new ProcessScope(task.id(), Duration.ofMinutes(5), Clock.systemUTC());
			scope.cancel();
			ConversionContext context = new ConversionContext(task, storage.original(task),
					storage.newTempFile(task, "zip"), storage.workspace(task), progress::add, scope);

			assertThatThrownBy(() -> new ArchiveConverter(ArchiveSettings.defaults()).convert(context))
				.isInstanceOf(InterruptedException.class);
		}

	}

	@Nested
	class Repacking {

		static Stream<Arguments> pairs() {
			List<Format> kinds = List.of(Format.ZIP, Format.SEVEN_Z, Format.TAR_GZ, Format.TAR_BZ2, Format.TAR_XZ);
			return kinds.stream().flatMap(source -> kinds.stream().map(target -> Arguments.of(source, target)));
		}

		@ParameterizedTest(name = "{0} -> {1}")
		@MethodSource("pairs")
		void keepsEveryEntryAndItsBytes(Format source, Format target) throws Exception {
			Path tree = sampleTree();
			Task task = task("bundle." + source.extension(), source.id(), target.id());
			storage.createFolder(task);
			createWithSystemTool(source, tree, storage.original(task));

			Path result = convert(task, ArchiveSettings.defaults());

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(target, result, unpacked);
			assertThat(snapshot(unpacked)).isEqualTo(snapshot(tree));
			assertThat(snapshot(storage.taskFolder(task))).as("nothing left beside input and output")
				.containsOnlyKeys(storage.original(task).getFileName().toString(), result.getFileName().toString());
			assertThat(progress).isSorted().last().isEqualTo(1.0);
		}

		@Test
		void zipToTarGzKeepsEntriesWrittenByCommonsCompressToo() throws Exception {
			byte[] data = randomBytes(300_000, 3);
			Task task = task("bundle.zip", "zip", "tar.gz");
			storage.createFolder(task);
			zip(storage.original(task), zip -> {
				folder(zip, "docs/");
				file(zip, "docs/nested/deep.bin", data);
				file(zip, "./readme.txt", "read me".getBytes(StandardCharsets.UTF_8));
			});

			Path result = convert(task, ArchiveSettings.defaults());

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.TAR_GZ, result, unpacked);
			assertThat(snapshot(unpacked)).containsOnlyKeys("docs", "docs/nested", "docs/nested/deep.bin", "readme.txt");
			assertThat(unpacked.resolve("docs/nested/deep.bin")).hasBinaryContent(data);
			assertThat(unpacked.resolve("readme.txt")).hasContent("read me");
		}

		private Path sampleTree() throws IOException {
			Path tree = work.resolve("tree");
			Files.createDirectories(tree.resolve("docs/nested"));
			Files.createDirectories(tree.resolve("empty"));
			Files.createDirectories(tree.resolve("café"));
			Files.writeString(tree.resolve("readme.txt"), "read me\n");
			Files.write(tree.resolve("docs/nested/data.bin"), randomBytes(250_000, 4));
			Files.writeString(tree.resolve("docs/notes.md"), "# notes\n".repeat(1000));
			Files.writeString(tree.resolve("café/naïve.txt"), "unicode names survive\n");
			Files.write(tree.resolve("zero.txt"), new byte[0]);
			return tree;
		}

	}

	@Nested
	class Refusing {

		@Test
		void zipSlip() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> {
				file(zip, "fine.txt", bytes("fine"));
				file(zip, "../../../evil.txt", bytes("evil"));
			}), "'evil.txt' points outside the archive");
		}

		@Test
		void zipSlipWithBackslashes() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> file(zip, "..\\..\\..\\evil.txt", bytes("evil"))),
					"'evil.txt' points outside the archive");
		}

		@Test
		void absolutePathInZip() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> file(zip, "/tmp/evil.txt", bytes("evil"))),
					"'evil.txt' points outside the archive");
		}

		@Test
		void drivePathInZip() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> file(zip, "C:/evil.txt", bytes("evil"))),
					"'evil.txt' points outside the archive");
		}

		@Test
		void absolutePathInTar() throws Exception {
			assertRefused("tar.gz", path -> tarGz(path, tar -> {
				TarArchiveEntry entry = new TarArchiveEntry("/tmp/evil.txt", true);
				entry.setSize(4);
				tar.putArchiveEntry(entry);
				tar.write(bytes("evil"));
				tar.closeArchiveEntry();
			}), "'evil.txt' points outside the archive");
		}

		@Test
		void symlinkInTar() throws Exception {
			assertRefused("tar.gz", path -> tarGz(path, tar -> {
				TarArchiveEntry link = new TarArchiveEntry("passwords", TarConstants.LF_SYMLINK);
				link.setLinkName("/etc/passwd");
				tar.putArchiveEntry(link);
				tar.closeArchiveEntry();
			}), "'passwords' is a symbolic link");
		}

		@Test
		void symlinkFollowedByAFileThroughItInTar() throws Exception {
			assertRefused("tar.gz", path -> tarGz(path, tar -> {
				TarArchiveEntry link = new TarArchiveEntry("out", TarConstants.LF_SYMLINK);
				link.setLinkName("../../..");
				tar.putArchiveEntry(link);
				tar.closeArchiveEntry();
				tarFile(tar, "out/evil.txt", bytes("evil"));
			}), "'out' is a symbolic link");
		}

		@Test
		void hardLinkInTar() throws Exception {
			assertRefused("tar.gz", path -> tarGz(path, tar -> {
				TarArchiveEntry link = new TarArchiveEntry("shadow", TarConstants.LF_LINK);
				link.setLinkName("/etc/shadow");
				tar.putArchiveEntry(link);
				tar.closeArchiveEntry();
			}), "'shadow' is a hard link");
		}

		@Test
		void fifoInTar() throws Exception {
			assertRefused("tar.gz", path -> tarGz(path, tar -> {
				tar.putArchiveEntry(new TarArchiveEntry("pipe", TarConstants.LF_FIFO));
				tar.closeArchiveEntry();
			}), "'pipe' is a device or pipe");
		}

		@Test
		void symlinkInZip() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> {
				ZipArchiveEntry link = new ZipArchiveEntry("passwords");
				link.setUnixMode(0120777);
				zip.putArchiveEntry(link);
				zip.write(bytes("/etc/passwd"));
				zip.closeArchiveEntry();
			}), "'passwords' is a symbolic link");
		}

		@Test
		void symlinkIn7zWrittenBy7Zip() throws Exception {
			assertRefused("7z", path -> {
				Path tree = Files.createDirectories(work.resolve("links"));
				Files.createSymbolicLink(tree.resolve("passwords"), Path.of("/etc/passwd"));
				run(tree, "7z", "a", "-bd", "-y", path.toString(), "passwords");
			}, "'passwords' is a symbolic link");
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ" })
		void zipBomb(Format source) throws Exception {
			assertRefused(source.id(), path -> writeZeros(source, path, 50 * 1024 * 1024),
					"more than 100 times its own size");
		}

		@Test
		void duplicateEntries() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> {
				file(zip, "same.txt", bytes("first"));
				file(zip, "same.txt", bytes("second"));
			}), "'same.txt' more than once");
		}

		@Test
		void anEntryThatIsBothFileAndFolder() throws Exception {
			assertRefused("zip", path -> zip(path, zip -> {
				file(zip, "thing", bytes("a file"));
				file(zip, "thing/inside.txt", bytes("and a folder"));
			}), "both as a file and as a folder");
		}

		@Test
		void encryptedZip() throws Exception {
			assertRefused("zip", path -> {
				Path tree = Files.createDirectories(work.resolve("secret"));
				Files.writeString(tree.resolve("secret.txt"), "secret");
				run(tree, "zip", "-q", "-P", "password", path.toString(), "secret.txt");
			}, "password-protected");
		}

		@ParameterizedTest
		@EnumSource(value = EncryptedHeaders.class)
		void encrypted7z(EncryptedHeaders headers) throws Exception {
			assertRefused("7z", path -> {
				Path tree = Files.createDirectories(work.resolve("secret"));
				Files.writeString(tree.resolve("secret.txt"), "secret");
				run(tree, "7z", "a", "-bd", "-y", "-ppassword", "-mhe=" + headers.flag, path.toString(), "secret.txt");
			}, "password-protected");
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ", "TAR_BZ2", "TAR_XZ" })
		void truncatedArchive(Format source) throws Exception {
			assertRefused(source.id(), path -> {
				Path tree = Files.createDirectories(work.resolve("whole"));
				Files.write(tree.resolve("data.bin"), randomBytes(200_000, 5));
				Path whole = work.resolve("whole." + source.extension());
				createWithSystemTool(source, tree, whole);
				byte[] bytes = Files.readAllBytes(whole);
				Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length / 2));
			}, "The archive is damaged or truncated.");
		}

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ", "TAR_BZ2", "TAR_XZ" })
		void notAnArchiveAtAll(Format source) throws Exception {
			assertRefused(source.id(), path -> Files.write(path, randomBytes(10_000, 6)),
					"The archive is damaged or truncated.");
		}

	}

	@Nested
	class Limits {

		@ParameterizedTest
		@EnumSource(value = Format.class, names = { "ZIP", "SEVEN_Z", "TAR_GZ", "TAR_XZ" })
		void tooManyEntries(Format source) throws Exception {
			ArchiveSettings fiveEntries = new ArchiveSettings(DataSize.ofGigabytes(2), 5, 100);
			assertRefused(source.id(), fiveEntries, path -> {
				Path tree = Files.createDirectories(work.resolve("many"));
				for (int i = 0; i < 6; i++) {
					Files.writeString(tree.resolve("file" + i + ".txt"), "entry " + i);
				}
				createWithSystemTool(source, tree, path);
			}, "more than 5 entries");
		}

		@Test
		void zipDirectoryTooLargeToLoadIsRefusedWhileOpening() throws Exception {
			ArchiveSettings fiveEntries = new ArchiveSettings(DataSize.ofGigabytes(2), 5, 100);
			assertRefused("zip", fiveEntries, path -> zip(path, zip -> {
				for (int i = 0; i < 20_000; i++) {
					file(zip, "entry-number-" + i + ".txt", new byte[0]);
				}
			}), "more than 5 entries");
		}

		@Test
		void acceptsExactlyTheEntryLimit() throws Exception {
			ArchiveSettings fourEntries = new ArchiveSettings(DataSize.ofGigabytes(2), 4, 100);
			Task task = task("few.zip", "zip", "tar.gz");
			storage.createFolder(task);
			zip(storage.original(task), zip -> {
				folder(zip, "a/");
				for (int i = 0; i < 3; i++) {
					file(zip, "a/" + i + ".txt", bytes("entry " + i));
				}
			});

			Path result = convert(task, fourEntries);

			assertThat(result).isNotEmptyFile();
		}

		@Test
		void tooLargeWhenUnpacked() throws Exception {
			ArchiveSettings oneMegabyte = new ArchiveSettings(DataSize.ofMegabytes(1), 10_000, 100);
			assertRefused("tar.gz", oneMegabyte, path -> tarGz(path, tar -> {
				tarFile(tar, "a.bin", randomBytes(600_000, 7));
				tarFile(tar, "b.bin", randomBytes(600_000, 8));
			}), "unpacks to more than 1 MB");
		}

		@Test
		void ratioFollowsTheSetting() throws Exception {
			ArchiveSettings tight = new ArchiveSettings(DataSize.ofGigabytes(2), 10_000, 2);
			assertRefused("zip", tight, path -> writeZeros(Format.ZIP, path, 3 * 1024 * 1024),
					"more than 2 times its own size");
		}

		@Test
		void smallArchivesOfTextAreNotRefusedForTheirRatio() throws Exception {
			Task task = task("log.zip", "zip", "tar.xz");
			storage.createFolder(task);
			zip(storage.original(task), zip -> file(zip, "log.txt", bytes("the same line\n".repeat(50_000))));

			Path result = convert(task, ArchiveSettings.defaults());

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.TAR_XZ, result, unpacked);
			assertThat(unpacked.resolve("log.txt")).hasSize(14 * 50_000);
		}

	}

	// fixtures

	enum EncryptedHeaders {

		CONTENT_ONLY("off"), CONTENT_AND_NAMES("on");

		final String flag;

		EncryptedHeaders(String flag) {
			this.flag = flag;
		}

	}

	interface ArchiveBody<T> {

		void write(T archive) throws IOException;

	}

	interface Input {

		void writeTo(Path path) throws Exception;

	}

	private void assertRefused(String source, Input input, String reason) throws Exception {
		assertRefused(source, ArchiveSettings.defaults(), input, reason);
	}

	private void assertRefused(String source, ArchiveSettings settings, Input input, String reason) throws Exception {
		Task task = task("upload." + source, source, source.equals("zip") ? "7z" : "zip");
		storage.createFolder(task);
		input.writeTo(storage.original(task));
		Map<String, String> before = snapshot(this.root);
		ConversionContext context = context(task);

		assertThatThrownBy(() -> new ArchiveConverter(settings).convert(context))
			.isInstanceOf(RejectedInputException.class)
			.hasMessageContaining(reason)
			.message()
			.doesNotContain(this.root.toString(), "/", "\\", "Exception");
		assertThat(snapshot(this.root)).as("nothing written, nothing left behind").isEqualTo(before);
	}

	private Task upload(Task task, byte[] bytes) throws IOException {
		this.storage.createFolder(task);
		Files.write(this.storage.original(task), bytes);
		return task;
	}

	private Path convert(Task task, ArchiveSettings settings) throws Exception {
		ConversionContext context = context(task);
		new ArchiveConverter(settings).convert(context);
		return context.output();
	}

	private ConversionContext context(Task task) {
		String extension = task.target().extension();
		return new ConversionContext(task, this.storage.original(task), this.storage.newTempFile(task, extension),
				this.storage.workspace(task), this.progress::add, new ProcessScope(task.id(), Duration.ofMinutes(5), Clock.systemUTC()));
	}

	static void zip(Path path, ArchiveBody<ZipArchiveOutputStream> body) throws IOException {
		try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(path)) {
			body.write(zip);
		}
	}

	static void file(ZipArchiveOutputStream zip, String name, byte[] bytes) throws IOException {
		zip.putArchiveEntry(new ZipArchiveEntry(name));
		zip.write(bytes);
		zip.closeArchiveEntry();
	}

	static void folder(ZipArchiveOutputStream zip, String name) throws IOException {
		zip.putArchiveEntry(new ZipArchiveEntry(name));
		zip.closeArchiveEntry();
	}

	static void tarGz(Path path, ArchiveBody<TarArchiveOutputStream> body) throws IOException {
		try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
				new GzipCompressorOutputStream(Files.newOutputStream(path)))) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			body.write(tar);
		}
	}

	static void tarFile(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
		TarArchiveEntry entry = new TarArchiveEntry(name);
		entry.setSize(bytes.length);
		tar.putArchiveEntry(entry);
		tar.write(bytes);
		tar.closeArchiveEntry();
	}

	/** One entry of zeros, written a buffer at a time so the bomb never sits in memory. */
	static void writeZeros(Format format, Path path, long size) throws IOException {
		byte[] zeros = new byte[64 * 1024];
		switch (format) {
			case ZIP -> zip(path, zip -> {
				zip.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
				repeat(zip, zeros, size);
				zip.closeArchiveEntry();
			});
			case TAR_GZ -> tarGz(path, tar -> {
				TarArchiveEntry entry = new TarArchiveEntry("zeros.bin");
				entry.setSize(size);
				tar.putArchiveEntry(entry);
				repeat(tar, zeros, size);
				tar.closeArchiveEntry();
			});
			case SEVEN_Z -> {
				try (SevenZOutputFile sevenZ = new SevenZOutputFile(path.toFile())) {
					SevenZArchiveEntry entry = new SevenZArchiveEntry();
					entry.setName("zeros.bin");
					sevenZ.putArchiveEntry(entry);
					for (long written = 0; written < size; written += zeros.length) {
						sevenZ.write(zeros, 0, (int) Math.min(zeros.length, size - written));
					}
					sevenZ.closeArchiveEntry();
				}
			}
			default -> throw new IllegalArgumentException(format.id());
		}
	}

	private static void repeat(OutputStream out, byte[] buffer, long size) throws IOException {
		for (long written = 0; written < size; written += buffer.length) {
			out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
