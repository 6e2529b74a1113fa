package com.cct.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cct.conversion.RejectedInputException;
import com.cct.format.Format;
import com.cct.format.MediaKind;

/**
 * Reads an uploaded archive entry by entry into an {@link Extraction}, refusing what is not a plain
 * file or folder. Whatever the parsers throw is the archive's fault (damaged, truncated, hostile);
 * failures of the storage underneath are not, and pass through to be retried.
 */
final class ArchiveReader {

	private static final Logger log = LoggerFactory.getLogger(ArchiveReader.class);

	// dictionaries of 7z and xz archives, and 7z headers, may not need more than this to decode
	private static final int MEMORY_LIMIT_KIB = 256 * 1024;

	// a zip's central directory and local headers, read when it opens; generous for real names
	private static final long DIRECTORY_BYTES_PER_ENTRY = 2048;

	// what SevenZFile estimates a listed entry needs (about 210 bytes, with a folder of its own 400), with room
	private static final long HEADER_BYTES_PER_ENTRY = 512;

	private static final long HEADER_BASE_KIB = 4 * 1024;

	private static final int UNIX_TYPE = 0170000;

	private static final int UNIX_FILE = 0100000;

	private static final int UNIX_FOLDER = 0040000;

	private static final int UNIX_LINK = 0120000;

	private static final int UNIX_PIPE = 0010000;

	private static final int WINDOWS_REPARSE_POINT = 0x400;

	private static final int WINDOWS_UNIX_EXTENSION = 0x8000;

	private ArchiveReader() {
	}

	static void extract(Format format, Path archive, Extraction extraction) throws IOException, InterruptedException {
		if (format.kind() != MediaKind.ARCHIVE) {
			throw new IllegalStateException("not an archive format: " + format);
		}
		try (TrackedChannel channel = TrackedChannel.open(archive)) {
			extraction.trackProgressBy(channel::lastRead);
			try {
				switch (format) {
					case ZIP -> readZip(channel, extraction);
					case SEVEN_Z -> readSevenZ(archive, channel, extraction);
					default -> readTar(format, channel, extraction);
				}
			}
			catch (TrackedChannel.StorageReadException ex) {
				if (ex.getCause() instanceof ClosedByInterruptException) {
					throw new InterruptedException("conversion interrupted");
				}
				throw ex;
			}
			catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
					| ArithmeticException | NegativeArraySizeException ex) {
				throw rejection(ex, extraction);
			}
		}
	}

	private static void readZip(TrackedChannel channel, Extraction extraction)
			throws IOException, InterruptedException {
		ZipDirectoryCheck.check(channel, extraction.maxEntries(), extraction::tooManyEntries);
		channel.position(0);
		channel.limitReadsTo(extraction.maxEntries() * DIRECTORY_BYTES_PER_ENTRY + 64 * 1024);
		try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).get()) {
			channel.unlimited();
			List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
			extraction.expectEntries(entries.size());
			for (ZipArchiveEntry entry : entries) {
				extraction.countEntry();
				String name = zipName(entry);
				int type = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & UNIX_TYPE : 0;
				if (entry.isUnixSymlink() || type == UNIX_LINK) {
					throw extraction.refused(name, "a symbolic link");
				}
				// Info-ZIP gives what it read from a pipe (zip - < data) the pipe's mode: its bytes are a file all the same
				if (type != 0 && type != UNIX_FILE && type != UNIX_FOLDER && type != UNIX_PIPE) {
					throw extraction.refused(name, "a device or socket");
				}
				if (entry.getGeneralPurposeBit().usesEncryption()) {
					throw encrypted();
				}
				if (entry.isDirectory()) {
					extraction.folder(name, entry.getLastModifiedTime());
					continue;
				}
				if (!zip.canReadEntryData(entry)) {
					throw new RejectedInputException("The archive entry '" + EntryNames.display(name)
							+ "' uses a compression method this service cannot read.");
				}
				try (InputStream data = zip.getInputStream(entry)) {
					extraction.file(name, data, entry.getLastModifiedTime());
				}
			}
		}
	}

	/**
	 * The name as the zip's Unicode path field gives it, else decoded from its bytes: commons-compress
	 * would turn bytes that are not UTF-8 into question marks.
	 */
	private static String zipName(ZipArchiveEntry entry) {
		if (entry.getGeneralPurposeBit().usesUTF8ForNames() || entry.getExtraField(UnicodePathExtraField.UPATH_ID) != null
				|| entry.getRawName() == null) {
			return entry.getName();
		}
		return EntryNames.ofZip(entry.getRawName());
	}

	private static void readSevenZ(Path archive, TrackedChannel channel, Extraction extraction)
			throws IOException, InterruptedException {
		long headerCodersKiB = SevenZHeaderCheck.check(channel);
		if (headerCodersKiB > MEMORY_LIMIT_KIB) {
			throw needsMoreMemory();
		}
		probeSevenZ(archive, headerCodersKiB, extraction);
		channel.position(0);
		try (SevenZFile sevenZ = SevenZFile.builder()
			.setSeekableByteChannel(channel)
			.setMaxMemoryLimitKiB(MEMORY_LIMIT_KIB)
			.get()) {
			InputStream current = new SevenZEntryStream(sevenZ);
			SevenZArchiveEntry entry;
			while ((entry = sevenZ.getNextEntry()) != null) {
				extraction.countEntry();
				String name = entry.getName();
				if (entry.isAntiItem()) {
					throw extraction.refused(name, "a deletion marker");
				}
				if (entry.getHasWindowsAttributes()) {
					int attributes = entry.getWindowsAttributes();
					int type = (attributes & WINDOWS_UNIX_EXTENSION) != 0 ? (attributes >>> 16) & UNIX_TYPE : 0;
					if ((attributes & WINDOWS_REPARSE_POINT) != 0 || type == UNIX_LINK) {
						throw extraction.refused(name, "a symbolic link");
					}
					if (type != 0 && type != UNIX_FILE && type != UNIX_FOLDER) {
						throw extraction.refused(name, "a device, pipe or socket");
					}
				}
				var modified = entry.getHasLastModifiedDate() ? entry.getLastModifiedTime() : null;
				if (entry.isDirectory()) {
					extraction.folder(name, modified);
				}
				else {
					extraction.file(name, entry.hasStream() ? current : InputStream.nullInputStream(), modified);
				}
			}
		}
	}

	/**
	 * Opens the archive once with only as much memory as its header coders declare plus what the
	 * header of {@code maxEntries} entries needs. {@code SevenZFile} estimates what the listed entries
	 * will take before it builds them and refuses an estimate over its limit; the limit that the
	 * entries' data needs (dictionaries of up to {@value #MEMORY_LIMIT_KIB} KiB) would let a header
	 * that lists a million empty entries through, costing hundreds of MB before they are counted.
	 */
	private static void probeSevenZ(Path archive, long headerCodersKiB, Extraction extraction) throws IOException {
		int limitKiB = (int) Math.min(MEMORY_LIMIT_KIB,
				headerCodersKiB + HEADER_BASE_KIB + extraction.maxEntries() * HEADER_BYTES_PER_ENTRY / 1024);
		try (TrackedChannel probe = TrackedChannel.open(archive);
				SevenZFile sevenZ = SevenZFile.builder()
					.setSeekableByteChannel(probe)
					.setMaxMemoryLimitKiB(limitKiB)
					.get()) {
			long declared = 0;
			for (SevenZArchiveEntry ignored : sevenZ.getEntries()) {
				declared++;
			}
			extraction.expectEntries(declared);
		}
		catch (MemoryLimitException ex) {
			if (ex.getMemoryNeededInKb() > MEMORY_LIMIT_KIB) {
				throw needsMoreMemory();
			}
			throw extraction.tooManyEntries();
		}
	}

	private static void readTar(Format format, TrackedChannel channel, Extraction extraction)
			throws IOException, InterruptedException {
		InputStream compressed = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
		InputStream plain = switch (format) {
			case TAR_GZ -> {
				GzipHeaderGuard guarded = new GzipHeaderGuard(compressed);
				yield GzipCompressorInputStream.builder()
					.setInputStream(guarded)
					.setDecompressConcatenated(true)
					.setOnMemberStart(gzip -> guarded.memberStarted())
					.setOnMemberEnd(gzip -> guarded.memberEnded())
					.get();
			}
			case TAR_BZ2 -> new BZip2CompressorInputStream(compressed, true);
			case TAR_XZ -> XZCompressorInputStream.builder()
				.setInputStream(compressed)
				.setDecompressConcatenated(true)
				.setMemoryLimitKiB(MEMORY_LIMIT_KIB)
				.get();
			default -> throw new IllegalStateException("not a tar format: " + format);
		};
		InputStream capped = new CappedInputStream(plain, extraction.streamLimit(), extraction::overLimit);
		try (TarArchiveInputStream tar = BoundedTarInputStream.over(capped)) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				extraction.countEntry();
				String name = EntryNames.ofTar(entry.getName());
				if (entry.isSymbolicLink()) {
					throw extraction.refused(name, "a symbolic link");
				}
				if (entry.isLink()) {
					throw extraction.refused(name, "a hard link");
				}
				if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
					throw extraction.refused(name, "a device or pipe");
				}
				if (entry.isDirectory()) {
					extraction.folder(name, entry.getLastModifiedTime());
				}
				else {
					extraction.file(name, tar, entry.getLastModifiedTime());
				}
			}
		}
	}

	private static RejectedInputException rejection(Exception ex, Extraction extraction) {
		if (causedBy(ex, PasswordRequiredException.class) || isEncryption(ex)) {
			return encrypted();
		}
		if (causedBy(ex, TrackedChannel.ReadBudgetExceededException.class)) {
			return extraction.tooManyEntries();
		}
		if (causedBy(ex, MemoryLimitException.class)) {
			return needsMoreMemory();
		}
		if (ex instanceof UnsupportedZipFeatureException) {
			return new RejectedInputException("The archive uses a zip feature this service cannot read.");
		}
		if (String.valueOf(ex.getMessage()).startsWith("Unsupported compression method")) {
			// 7-Zip's PPMd, ARM64 and other coders the 7z reader does not have
			return new RejectedInputException("The archive uses a compression method this service cannot read "
					+ "(LZMA, LZMA2, BZip2, Deflate and stored entries are read).");
		}
		log.info("Refusing a damaged archive: {}", ex.toString());
		return new RejectedInputException("The archive is damaged or truncated.");
	}

	private static boolean isEncryption(Exception ex) {
		return ex instanceof UnsupportedZipFeatureException unsupported
				&& unsupported.getFeature() == UnsupportedZipFeatureException.Feature.ENCRYPTION;
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static RejectedInputException needsMoreMemory() {
		return new RejectedInputException("The archive needs more memory to unpack than this service allows.");
	}

	private static RejectedInputException encrypted() {
		return new RejectedInputException(
				"The archive is password-protected; upload it without encryption to convert it.");
	}

	/** The current 7z entry's bytes; the file reads them in archive order. */
	private static final class SevenZEntryStream extends InputStream {

		private final SevenZFile file;

		SevenZEntryStream(SevenZFile file) {
			this.file = file;
		}

		@Override
		public int read() throws IOException {
			return this.file.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			return this.file.read(buffer, offset, length);
		}

	}

	/** Stops a decompressed stream that grows past its bound, before anything buffers it. */
	private static final class CappedInputStream extends MeteredInputStream {

		private final long cap;

		private final Supplier<RejectedInputException> overflow;

		private long count;

		CappedInputStream(InputStream in, long cap, Supplier<RejectedInputException> overflow) {
			super(in);
			this.cap = cap;
			this.overflow = overflow;
		}

		@Override
		void counted(long bytes) {
			this.count += bytes;
			if (this.count > this.cap) {
				throw this.overflow.get();
			}
		}

	}

}
