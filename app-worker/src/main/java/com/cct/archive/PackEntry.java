package com.cct.archive;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * One entry of the archive being written: a folder, or a file whose bytes are read from
 * {@code source}. {@code name} is relative, checked, and uses {@code /}.
 */
record PackEntry(String name, boolean directory, Path source, long size, FileTime modified) {

	// every archive kind can store these; zip cannot go below 1980, some tools choke far in the future
	private static final Instant EARLIEST = Instant.parse("1980-01-02T00:00:00Z");

	private static final Instant LATEST = Instant.parse("2099-12-31T00:00:00Z");

	static PackEntry folder(String name, FileTime modified) {
		return new PackEntry(name, true, null, 0, storable(modified));
	}

	static PackEntry file(String name, Path source, long size, FileTime modified) {
		return new PackEntry(name, false, source, size, storable(modified));
	}

	private static FileTime storable(FileTime time) {
		if (time == null) {
			return FileTime.from(Instant.now());
		}
		Instant instant = time.toInstant();
		if (instant.isBefore(EARLIEST)) {
			return FileTime.from(EARLIEST);
		}
		return instant.isAfter(LATEST) ? FileTime.from(LATEST) : time;
	}

}
