package com.cct.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.RejectedInputException;

/**
 * Unpacks entries into one folder, and nowhere else, while keeping count of the limits. Only plain
 * files and folders are ever created (never links), each at a path checked to stay inside the
 * folder, with {@code CREATE_NEW} so nothing existing is overwritten. Failures to write are the
 * storage's fault, not the archive's: they surface as {@link UncheckedIOException} so that they are
 * retried rather than blamed on the upload.
 */
final class Extraction {

	/** Part of the progress bar that unpacking fills; writing the new archive fills the rest. */
	static final double SHARE = 0.5;

	private static final int BUFFER_SIZE = 64 * 1024;

	// Linux's PATH_MAX is 4096 bytes with the terminating zero; some room is left for the writers' own names
	static final int MAX_PATH_BYTES = 4000;

	// room for tar headers, padding and long names around the entries' own bytes
	private static final long HEADER_BYTES_PER_ENTRY = 2048;

	private final Path root;

	private final ArchiveSettings settings;

	private final ConversionContext context;

	private final long archiveSize;

	private final long ratioLimit;

	private final List<PackEntry> entries = new ArrayList<>();

	private final Set<String> folders = new HashSet<>();

	private final byte[] buffer = new byte[BUFFER_SIZE];

	private LongSupplier consumed = () -> 0;

	private long bytes;

	private int count;

	Extraction(Path root, ArchiveSettings settings, ConversionContext context, long archiveSize) throws IOException {
		this.root = root.toRealPath();
		this.settings = settings;
		this.context = context;
		this.archiveSize = Math.max(1, archiveSize);
		this.ratioLimit = settings.ratioLimit(archiveSize);
	}

	/** Where progress comes from: the archive's bytes consumed so far. */
	void trackProgressBy(LongSupplier consumedBytes) {
		this.consumed = consumedBytes;
	}

	/** Checks a count the archive declares up front, so an oversized directory is refused at once. */
	void expectEntries(long declared) {
		if (declared > this.settings.maxEntries()) {
			throw tooManyEntries();
		}
	}

	/** Counts one entry of any kind, including those that create nothing. */
	void countEntry() throws InterruptedException {
		this.context.checkpoint();
		if (++this.count > this.settings.maxEntries()) {
			throw tooManyEntries();
		}
	}

	void folder(String rawName, FileTime modified) {
		String name = EntryNames.relative(rawName);
		if (name.isEmpty()) {
			return;
		}
		Path path = inside(name, rawName);
		createParents(path, rawName);
		if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
			// repeated, or created earlier as the parent of a file: not a conflict
		}
		else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			throw fileAndFolder(rawName);
		}
		else {
			createDirectory(path);
		}
		if (this.folders.add(name)) {
			this.entries.add(PackEntry.folder(name, modified));
		}
	}

	void file(String rawName, InputStream data, FileTime modified) throws IOException, InterruptedException {
		String name = EntryNames.relative(rawName);
		if (name.isEmpty()) {
			throw new RejectedInputException("The archive has a file entry without a name; it was refused.");
		}
		Path path = inside(name, rawName);
		createParents(path, rawName);
		if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
			throw fileAndFolder(rawName);
		}
		if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			throw new RejectedInputException("The archive contains the entry '" + EntryNames.display(rawName)
					+ "' more than once; archives with duplicate entries are refused.");
		}
		long size = 0;
		try (Target target = new Target(path)) {
			int read;
			while ((read = data.read(this.buffer)) != -1) {
				this.context.checkpoint();
				count(read);
				target.write(this.buffer, read);
				size += read;
				this.context.progress(SHARE * Math.min(1, (double) this.consumed.getAsLong() / this.archiveSize));
			}
		}
		this.entries.add(PackEntry.file(name, path, size, modified));
	}

	/** Refuses an entry that is not a plain file or folder. */
	RejectedInputException refused(String rawName, String what) {
		return new RejectedInputException("The archive entry '" + EntryNames.display(rawName) + "' is " + what
				+ "; archives may only hold files and folders.");
	}

	/**
	 * The most bytes the decompressed stream under a tar may carry: the entries' own limit plus
	 * headers. Bounds what tar's header parsing can be made to buffer.
	 */
	long streamLimit() {
		long headers = (this.settings.maxEntries() + 1L) * HEADER_BYTES_PER_ENTRY + ArchiveSettings.RATIO_FREE_BYTES;
		return Math.min(this.settings.maxTotalSize().toBytes(), this.ratioLimit) + headers;
	}

	RejectedInputException overLimit() {
		return this.ratioLimit < this.settings.maxTotalSize().toBytes() ? tooDense() : tooLarge();
	}

	RejectedInputException tooManyEntries() {
		return new RejectedInputException(
				"The archive has more than " + this.settings.maxEntries() + " entries, the limit; it was refused.");
	}

	int maxEntries() {
		return this.settings.maxEntries();
	}

	List<PackEntry> entries() {
		return List.copyOf(this.entries);
	}

	private void count(int read) {
		long next = this.bytes + read;
		if (next > this.settings.maxTotalSize().toBytes()) {
			throw tooLarge();
		}
		if (next > this.ratioLimit) {
			throw tooDense();
		}
		this.bytes = next;
	}

	private RejectedInputException tooLarge() {
		return new RejectedInputException(
				"The archive unpacks to more than " + this.settings.readableTotalSize() + ", the limit; it was refused.");
	}

	private RejectedInputException tooDense() {
		return new RejectedInputException("The archive unpacks to more than " + this.settings.maxRatio()
				+ " times its own size (a possible zip bomb); it was refused.");
	}

	private Path inside(String name, String rawName) {
		Path path = this.root.resolve(name).normalize();
		if (!path.startsWith(this.root) || path.equals(this.root)) {
			throw new RejectedInputException("The archive entry '" + EntryNames.display(rawName)
					+ "' points outside the archive; archives with such entries are refused.");
		}
		if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
			// the file system would refuse it (PATH_MAX), which would look like a storage failure and be retried
			throw new RejectedInputException("The archive entry '" + EntryNames.display(rawName)
					+ "' is nested too deep to unpack (its path would be longer than " + MAX_PATH_BYTES
					+ " bytes); it was refused.");
		}
		return path;
	}

	private void createParents(Path path, String rawName) {
		Path relativeParent = this.root.relativize(path).getParent();
		if (relativeParent == null) {
			return;
		}
		Path current = this.root;
		for (Path segment : relativeParent) {
			current = current.resolve(segment);
			if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
				continue;
			}
			if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
				throw fileAndFolder(rawName);
			}
			createDirectory(current);
		}
	}

	private static void createDirectory(Path path) {
		try {
			Files.createDirectory(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static RejectedInputException fileAndFolder(String rawName) {
		return new RejectedInputException("The archive uses '" + EntryNames.display(rawName)
				+ "' both as a file and as a folder; it was refused.");
	}

	/** A new file being written; its failures are the storage's, hence unchecked. */
	private static final class Target implements AutoCloseable {

		private final OutputStream out;

		Target(Path path) {
			try {
				this.out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
						LinkOption.NOFOLLOW_LINKS);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void write(byte[] bytes, int length) {
			try {
				this.out.write(bytes, 0, length);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void close() {
			try {
				this.out.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
