package com.cct.archive;

import static com.cct.archive.ArchiveFixtures.extractWithSystemTool;
import static com.cct.archive.ArchiveFixtures.snapshot;
import static com.cct.archive.ArchiveFixtures.task;
import static com.cct.archive.HostileInputs.encodedHeader;
import static com.cct.archive.HostileInputs.fileAndEnd;
import static com.cct.archive.HostileInputs.fill;
import static com.cct.archive.HostileInputs.headerListingEmptyEntries;
import static com.cct.archive.HostileInputs.padded;
import static com.cct.archive.HostileInputs.paxRecord;
import static com.cct.archive.HostileInputs.sevenZ;
import static com.cct.archive.HostileInputs.tarGz;
import static com.cct.archive.HostileInputs.tarHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.ProcessScope;
import com.cct.conversion.RejectedInputException;
import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;
import com.cct.task.Task;

/**
 * Headers built to make the archive readers allocate without bound. Each is refused with a reason,
 * and the bytes the converting thread allocated on the way stay within {@value #BUDGET} bytes,
 * however much the header declared.
 */
class ArchiveBoundsTests {

	/** What one refusal may allocate: buffers, one bounded header, the library's own structures. */
	static final long BUDGET = 48L * 1024 * 1024;

	static final long HUGE = 1_500_000_256L;

	@TempDir
	Path root;

	@TempDir
	Path work;

	FileStorage storage;

	@BeforeEach
	void setUp() {
		this.storage = new FileStorage(new StorageSettings(this.root));
	}

	@Nested
	class Tar {

		@ParameterizedTest
		@ValueSource(chars = { 'L', 'K' })
		void longNameOrLinkDeclaring15Gigabytes(char type) throws Exception {
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				tar.write(tarHeader("././@LongLink", HUGE, type));
				fill(tar, 64L * 1024 * 1024);
			}), type == 'L' ? "an entry name longer than 64 KB" : "a link target longer than 64 KB");
		}

		@ParameterizedTest
		@ValueSource(chars = { 'x', 'g' })
		void paxHeaderDeclaring15Gigabytes(char type) throws Exception {
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				tar.write(tarHeader("PaxHeaders/file", HUGE, type));
				tar.write((HUGE + " path=").getBytes(StandardCharsets.US_ASCII));
				fill(tar, 64L * 1024 * 1024);
			}), "extended (PAX) header larger than 1 MB");
		}

		@Test
		void longNameJustOverTheLimit() throws Exception {
			int size = BoundedTarInputStream.MAX_NAME_BYTES + 1;
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				tar.write(tarHeader("././@LongLink", size, 'L'));
				tar.write(padded(new byte[size]));
				fileAndEnd(tar, "x", new byte[1]);
			}), "an entry name longer than 64 KB");
		}

		@Test
		void manyPaxHeadersInARow() throws Exception {
			byte[] record = paxRecord("comment", "hello");
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				for (int i = 0; i < 10_000; i++) {
					tar.write(tarHeader("PaxHeaders/file", record.length, 'x'));
					tar.write(padded(record));
				}
				fileAndEnd(tar, "file", new byte[1]);
			}), "more than 16 extended headers");
		}

		@Test
		void headersOfOneEntryOverFourMegabytes() throws Exception {
			byte[] record = paxRecord("comment", "c".repeat(1024 * 1024 - 20));
			assertThat(record.length).isLessThanOrEqualTo(BoundedTarInputStream.MAX_PAX_BYTES);
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				for (int i = 0; i < 5; i++) {
					tar.write(tarHeader("PaxHeaders/file", record.length, 'x'));
					tar.write(padded(record));
				}
				fileAndEnd(tar, "file", new byte[1]);
			}), "headers take more than 4 MB");
		}

		@Test
		void paxSparseMapIsRefusedBeforeItIsRead() throws Exception {
			ByteArrayOutputStream pax = new ByteArrayOutputStream();
			pax.writeBytes(paxRecord("GNU.sparse.major", "1"));
			pax.writeBytes(paxRecord("GNU.sparse.minor", "0"));
			pax.writeBytes(paxRecord("GNU.sparse.name", "sparse.bin"));
			pax.writeBytes(paxRecord("GNU.sparse.realsize", "1000000000"));
			byte[] body = pax.toByteArray();
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				tar.write(tarHeader("PaxHeaders/sparse.bin", body.length, 'x'));
				tar.write(padded(body));
				// the 1.0 sparse map: a count of regions the library would hold one by one
				ByteArrayOutputStream map = new ByteArrayOutputStream();
				map.writeBytes("3000000\n".getBytes(StandardCharsets.US_ASCII));
				for (int i = 0; i < 3_000_000; i++) {
					map.writeBytes((i * 2 + "\n1\n").getBytes(StandardCharsets.US_ASCII));
				}
				tar.write(tarHeader("sparse.bin", map.size(), '0'));
				tar.write(padded(map.toByteArray()));
				tar.write(new byte[1024]);
			}), "as a sparse file");
		}

		@Test
		void oldGnuSparseHeaderWithEndlessExtensions() throws Exception {
			byte[] header = tarHeader("sparse.bin", 0, 'S');
			// the old GNU format (its magic), where byte 482 says another sparse header follows
			System.arraycopy("ustar  \u0000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
			header[482] = 1;
			byte[] extension = new byte[512];
			extension[504] = 1;
			assertRefusedWithinBudget("tar.gz", path -> tarGz(path, tar -> {
				tar.write(HostileInputs.withChecksum(header));
				for (int i = 0; i < 20_000; i++) {
					tar.write(extension);
				}
				tar.write(new byte[1024]);
			}), "headers take more than 4 MB");
		}

		@Test
		void gzipMemberNameOfSixteenMegabytes() throws Exception {
			assertRefusedWithinBudget("tar.gz", path -> HostileInputs.tarGzWithLongGzipName(path, 16 * 1024 * 1024),
					"gzip header (its file name or comment) is longer than 256 KB");
		}

		@Test
		void longNamesAndGzipNamesOfRealArchivesStillConvert() throws Exception {
			String longName = ("folder-" + "x".repeat(200) + "/").repeat(5) + "file.txt";
			Task task = task("names.tar.gz", "tar.gz", "zip");
			storage.createFolder(task);
			GzipParameters parameters = new GzipParameters();
			parameters.setFileName("names.tar");
			parameters.setComment("made by a test");
			try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
					new GzipCompressorOutputStream(Files.newOutputStream(storage.original(task)), parameters))) {
				tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
				tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
				for (String name : new String[] { longName, "short.txt" }) {
					byte[] data = ("content of " + name).getBytes(StandardCharsets.UTF_8);
					TarArchiveEntry entry = new TarArchiveEntry(name);
					entry.setSize(data.length);
					entry.setModTime(1_700_000_000_000L);
					tar.putArchiveEntry(entry);
					tar.write(data);
					tar.closeArchiveEntry();
				}
			}

			Path result = convert(task);

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.ZIP, result, unpacked);
			assertThat(unpacked.resolve(longName)).hasContent("content of " + longName);
			assertThat(unpacked.resolve("short.txt")).hasContent("content of short.txt");
		}

		@Test
		void paxHeadersOfRealArchivesStillConvert() throws Exception {
			String name = "ünïcödé-" + "y".repeat(150) + ".txt";
			Task task = task("pax.tar.gz", "tar.gz", "7z");
			storage.createFolder(task);
			tarGz(storage.original(task), tar -> {
				ByteArrayOutputStream global = new ByteArrayOutputStream();
				global.writeBytes(paxRecord("comment", "global header"));
				tar.write(tarHeader("pax_global_header", global.size(), 'g'));
				tar.write(padded(global.toByteArray()));
				byte[] local = paxRecord("path", name);
				tar.write(tarHeader("PaxHeaders/x", local.length, 'x'));
				tar.write(padded(local));
				fileAndEnd(tar, "truncated-name", "pax named me".getBytes(StandardCharsets.UTF_8));
			});

			Path result = convert(task);

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.SEVEN_Z, result, unpacked);
			assertThat(unpacked.resolve(name)).hasContent("pax named me");
		}

	}

	@Nested
	class Zip {

		@Test
		void zip64EndRecordClaimingFiftyMillionEntries() throws Exception {
			assertRefusedWithinBudget("zip", path -> HostileInputs.zip64Claiming(path, 50_000_000L),
					"more than 10000 entries");
		}

		@Test
		void endRecordClaimingMoreThanTheLimit() throws Exception {
			assertRefusedWithinBudget("zip", path -> HostileInputs.zipWithDirectory(path, 1, 60_000),
					"more than 10000 entries");
		}

		@Test
		void directoryOfThreeHundredThousandRecordsClaimingOne() throws Exception {
			assertRefusedWithinBudget("zip", path -> HostileInputs.zipWithDirectory(path, 300_000, 1),
					"more than 10000 entries");
		}

		@Test
		void directoryAtTheLimitIsRead() throws Exception {
			Task task = task("many.zip", "zip", "tar.gz");
			storage.createFolder(task);
			HostileInputs.zipWithDirectory(storage.original(task), 3, 3);
			// three records, each naming the one stored file under another name
			Path result = convert(task, new ArchiveSettings(DataSize.ofGigabytes(2), 3, 100));

			Path unpacked = work.resolve("unpacked");
			extractWithSystemTool(Format.TAR_GZ, result, unpacked);
			assertThat(snapshot(unpacked)).containsOnlyKeys("n0000000", "n0000001", "n0000002");
		}

	}

	@Nested
	class SevenZ {

		@Test
		void compressedHeaderUnpackingTo15Gigabytes() throws Exception {
			assertRefusedWithinBudget("7z", path -> {
				byte[] packed = new byte[1024];
				sevenZ(path, packed, encodedHeader(packed.length, 0x03, new byte[] { 4, 1, 8 }, null, HUGE));
			}, "header is larger than 16 MB");
		}

		@Test
		void storedHeaderOfTwentyMegabytes() throws Exception {
			assertRefusedWithinBudget("7z", path -> {
				byte[] header = new byte[20 * 1024 * 1024];
				header[0] = 0x01;
				sevenZ(path, new byte[0], header);
			}, "header is larger than 16 MB");
		}

		@Test
		void headerCoderDeclaringA15GigabyteDictionary() throws Exception {
			byte[] properties = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x5D).putInt(1_500_000_000).array();
			assertRefusedWithinBudget("7z", path -> {
				byte[] packed = new byte[64];
				sevenZ(path, packed, encodedHeader(packed.length, 0x23, new byte[] { 3, 1, 1 }, properties, 1000));
			}, "needs more memory to unpack");
		}

		@Test
		void headerListingOnePointTwoMillionEntries() throws Exception {
			assertRefusedWithinBudget("7z", path -> sevenZ(path, new byte[0], headerListingEmptyEntries(1_200_000)),
					"more than 10000 entries");
		}

		@Test
		void headerListingJustOverTheLimit() throws Exception {
			assertRefusedWithinBudget("7z", path -> sevenZ(path, new byte[0], headerListingEmptyEntries(10_001)),
					"more than 10000 entries");
		}

	}

	@Nested
	class Paths {

		@ParameterizedTest
		@ValueSource(strings = { "zip", "tar.gz" })
		void aFileTwoThousandFoldersDeep(String source) throws Exception {
			String name = "a/".repeat(2000) + "deep.txt";
			byte[] data = "deep".getBytes(StandardCharsets.UTF_8);
			assertRefusedWithinBudget(source, path -> {
				if (source.equals("zip")) {
					ArchiveConverterTests.zip(path, zip -> ArchiveConverterTests.file(zip, name, data));
				}
				else {
					ArchiveConverterTests.tarGz(path, tar -> ArchiveConverterTests.tarFile(tar, name, data));
				}
			}, "nested too deep to unpack");
		}

	}

	// fixtures

	interface Input {

		void writeTo(Path path) throws Exception;

	}

	private void assertRefusedWithinBudget(String source, Input input, String reason) throws Exception {
		Task task = task("upload." + source, source, source.equals("zip") ? "7z" : "zip");
		storage.createFolder(task);
		input.writeTo(storage.original(task));
		Map<String, String> before = snapshot(this.root);
		ConversionContext context = context(task);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

		long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
		Throwable thrown = null;
		try {
			new ArchiveConverter(ArchiveSettings.defaults()).convert(context);
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

		System.out.printf("%s: %,d bytes allocated while refusing: %s%n", source, allocated,
				thrown == null ? "(not refused)" : thrown.getMessage());
		assertThat(thrown).isInstanceOf(RejectedInputException.class)
			.hasMessageContaining(reason)
			.message()
			.doesNotContain(this.root.toString(), "/", "\\", "Exception");
		assertThat(allocated).as("bytes allocated while refusing").isLessThan(BUDGET);
		assertThat(snapshot(this.root)).as("nothing written, nothing left behind").isEqualTo(before);
	}

	private Path convert(Task task) throws Exception {
		return convert(task, ArchiveSettings.defaults());
	}

	private Path convert(Task task, ArchiveSettings settings) throws Exception {
		ConversionContext context = context(task);
		new ArchiveConverter(settings).convert(context);
		return context.output();
	}

	private ConversionContext context(Task task) {
		String extension = task.target().extension();
		return new ConversionContext(task, this.storage.original(task), this.storage.newTempFile(task, extension),
				this.storage.workspace(task), progress -> {
				}, new ProcessScope(task.id(), Duration.ofMinutes(5), Clock.systemUTC()));
	}

}
