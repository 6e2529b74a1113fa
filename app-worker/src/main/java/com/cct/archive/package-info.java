/**
 * Archive conversions: one uploaded file packed into zip, 7z, tar.gz, tar.bz2 or tar.xz, or an
 * uploaded archive of one of those kinds repacked into another. Repacking extracts into the task's
 * scratch folder first, defensively: no entry may escape it, links and special files are refused,
 * and entry count, unpacked size and compression ratio are bounded by {@link com.cct.archive.ArchiveSettings}.
 */
package com.cct.archive;
