package com.cct.archive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what an uploaded archive may unpack to; an archive over any of them fails its task with
 * a reason. All are counted on the bytes actually read, never on sizes the archive declares.
 *
 * @param maxTotalSize {@code cct.archive.max-total-size} ({@code CCT_ARCHIVE_MAX_TOTAL_SIZE}): the
 * uncompressed bytes of all entries together, default 2GB
 * @param maxEntries {@code cct.archive.max-entries} ({@code CCT_ARCHIVE_MAX_ENTRIES}): entries of
 * any kind (files and folders), default 10000
 * @param maxRatio {@code cct.archive.max-ratio} ({@code CCT_ARCHIVE_MAX_RATIO}): uncompressed bytes
 * over the archive's size, default 100; unpacking stops as soon as it is exceeded (the first
 * {@value #RATIO_FREE_BYTES} bytes are exempt, so tiny archives of text are not refused)
 */
@ConfigurationProperties("cct.archive")
record ArchiveSettings(@DefaultValue("2GB") DataSize maxTotalSize, @DefaultValue("10000") int maxEntries,
		@DefaultValue("100") int maxRatio) {

	static final long RATIO_FREE_BYTES = 1024 * 1024;

	ArchiveSettings {
		Assert.isTrue(maxTotalSize.toBytes() > 0, "cct.archive.max-total-size must be positive");
		Assert.isTrue(maxEntries > 0, "cct.archive.max-entries must be positive");
		Assert.isTrue(maxRatio > 0, "cct.archive.max-ratio must be positive");
	}

	static ArchiveSettings defaults() {
		return new ArchiveSettings(DataSize.ofGigabytes(2), 10_000, 100);
	}

	/** The most bytes an archive of this size may unpack to before the ratio limit stops it. */
	long ratioLimit(long archiveSize) {
		long limit = archiveSize > Long.MAX_VALUE / this.maxRatio ? Long.MAX_VALUE : archiveSize * this.maxRatio;
		return Math.max(limit, RATIO_FREE_BYTES);
	}

	String readableTotalSize() {
		long bytes = this.maxTotalSize.toBytes();
		String[] units = { "bytes", "KB", "MB", "GB", "TB" };
		int unit = 0;
		while (unit < units.length - 1 && bytes % 1024 == 0 && bytes >= 1024) {
			bytes /= 1024;
			unit++;
		}
		return bytes + " " + units[unit];
	}

}
