/**
 * Archive conversions: one uploaded file packed into zip, 7z, tar.gz, tar.bz2 or tar.xz, or an
 * uploaded archive of one of those kinds repacked into another. Repacking extracts into the task's
 * scratch folder first, defensively: no entry may escape it, links and special files are refused,
 * and entry count, unpacked size and compression ratio are bounded by {@link com.cct.archive.ArchiveSettings}.
 * Reading the archive's own structure is bounded as well, whatever it declares, so that a hostile
 * header costs its task and never the worker's heap: tar long names, long links and PAX headers
 * ({@link com.cct.archive.BoundedTarInputStream}), gzip member headers
 * ({@link com.cct.archive.GzipHeaderGuard}), zip central directories
 * ({@link com.cct.archive.ZipDirectoryCheck}) and 7z headers ({@link com.cct.archive.SevenZHeaderCheck}).
 */
package com.cct.archive;
