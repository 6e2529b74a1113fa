package com.cct.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

import com.cct.conversion.ConversionContext;
import com.cct.format.Format;

/**
 * Writes entries into a new archive of the target kind, streaming each file from disk, and stops as
 * soon as the result crosses the ceiling of a result. Names are already checked; the writers keep
 * them as UTF-8 (zip's language flag, tar's PAX headers).
 */
final class ArchiveWriter {

	private static final int BUFFER_SIZE = 64 * 1024;

	private static final int FILE_MODE = 0100644;

	private static final int FOLDER_MODE = 0040755;

	private final ConversionContext context;

	private final double progressFrom;

	private final long totalBytes;

	private final byte[] buffer = new byte[BUFFER_SIZE];

	private long doneBytes;

	/** The result on disk is measured against the ceiling every this many bytes written. */
	private static final long SIZE_CHECK_EVERY = 1024 * 1024;

	private long nextSizeCheck = SIZE_CHECK_EVERY;

	private ArchiveWriter(ConversionContext context, double progressFrom, long totalBytes) {
		this.context = context;
		this.progressFrom = progressFrom;
		this.totalBytes = Math.max(1, totalBytes);
	}

	/**
	 * @param progressFrom where this step starts on the progress bar; it fills the rest up to 1
	 */
	static void write(Format target, List<PackEntry> entries, Path output, ConversionContext context,
			double progressFrom) throws IOException, InterruptedException {
		long total = entries.stream().mapToLong(PackEntry::size).sum();
		ArchiveWriter writer = new ArchiveWriter(context, progressFrom, total);
		switch (target) {
			case ZIP -> writer.writeZip(entries, output);
			case SEVEN_Z -> writer.writeSevenZ(entries, output);
			case TAR_GZ, TAR_BZ2, TAR_XZ -> writer.writeTar(target, entries, output);
			default -> throw new IllegalArgumentException("not an archive format: " + target);
		}
	}

	private void writeZip(List<PackEntry> entries, Path output) throws IOException, InterruptedException {
		try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(output)) {
			zip.setEncoding(StandardCharsets.UTF_8.name());
			zip.setUseZip64(Zip64Mode.AsNeeded);
			for (PackEntry entry : entries) {
				ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.directory() ? entry.name() + "/" : entry.name());
				zipEntry.setLastModifiedTime(entry.modified());
				zipEntry.setUnixMode(entry.directory() ? FOLDER_MODE : FILE_MODE);
				if (!entry.directory()) {
					zipEntry.setSize(entry.size());
				}
				zip.putArchiveEntry(zipEntry);
				if (!entry.directory()) {
					copy(entry.source(), zip);
				}
				zip.closeArchiveEntry();
			}
			zip.finish();
		}
	}

	private void writeSevenZ(List<PackEntry> entries, Path output) throws IOException, InterruptedException {
		SeekableByteChannel channel = Files.newByteChannel(output, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
		try (SevenZOutputFile sevenZ = new SevenZOutputFile(channel)) {
			OutputStream body = new OutputStream() {
				@Override
				public void write(int b) throws IOException {
					sevenZ.write(b);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					sevenZ.write(bytes, offset, length);
				}
			};
			for (PackEntry entry : entries) {
				SevenZArchiveEntry sevenZEntry = new SevenZArchiveEntry();
				sevenZEntry.setName(entry.name());
				sevenZEntry.setDirectory(entry.directory());
				sevenZEntry.setLastModifiedTime(entry.modified());
				sevenZ.putArchiveEntry(sevenZEntry);
				if (!entry.directory()) {
					copy(entry.source(), body);
				}
				sevenZ.closeArchiveEntry();
			}
			sevenZ.finish();
		}
	}

	private void writeTar(Format target, List<PackEntry> entries, Path output)
			throws IOException, InterruptedException {
		OutputStream file = new BufferedOutputStream(Files.newOutputStream(output), BUFFER_SIZE);
		OutputStream compressed = switch (target) {
			case TAR_GZ -> new GzipCompressorOutputStream(file);
			case TAR_BZ2 -> new BZip2CompressorOutputStream(file);
			default -> new XZCompressorOutputStream(file);
		};
		try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, StandardCharsets.UTF_8.name())) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
			tar.setAddPaxHeadersForNonAsciiNames(true);
			for (PackEntry entry : entries) {
				TarArchiveEntry tarEntry = new TarArchiveEntry(entry.directory() ? entry.name() + "/" : entry.name());
				tarEntry.setModTime(entry.modified());
				tarEntry.setMode(entry.directory() ? FOLDER_MODE : FILE_MODE);
				if (!entry.directory()) {
					tarEntry.setSize(entry.size());
				}
				tar.putArchiveEntry(tarEntry);
				if (!entry.directory()) {
					copy(entry.source(), tar);
				}
				tar.closeArchiveEntry();
			}
			tar.finish();
		}
	}

	private void copy(Path source, OutputStream target) throws IOException, InterruptedException {
		try (InputStream in = Files.newInputStream(source)) {
			int read;
			while ((read = in.read(this.buffer)) != -1) {
				this.context.checkpoint();
				target.write(this.buffer, 0, read);
				this.doneBytes += read;
				if (this.doneBytes >= this.nextSizeCheck) {
					// a result over CCT_MAX_OUTPUT_SIZE stops here, not after the whole archive is written
					this.nextSizeCheck += SIZE_CHECK_EVERY;
					this.context.checkOutputSize();
				}
				double done = Math.min(1, (double) this.doneBytes / this.totalBytes);
				this.context.progress(this.progressFrom + (1 - this.progressFrom) * done);
			}
		}
	}

}
