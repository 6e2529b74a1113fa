package com.cct.task;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

import org.apache.tika.Tika;
import org.springframework.stereotype.Component;

import com.cct.format.Format;

/**
 * Tells what a file is by its first bytes (Apache Tika's magic numbers), never by its name or the
 * Content-Type a client sent. Cheap: reads at most a few kilobytes of the stored upload.
 */
@Component
class ContentInspector {

	private static final Map<String, Format> FORMATS = Map.ofEntries(
			Map.entry("video/mp4", Format.MP4), Map.entry("video/quicktime", Format.MOV),
			Map.entry("video/x-matroska", Format.MKV), Map.entry("video/webm", Format.WEBM),
			Map.entry("audio/webm", Format.WEBM), Map.entry("video/x-msvideo", Format.AVI),
			Map.entry("video/mpeg", Format.MPEG), Map.entry("video/mp2t", Format.MPEG),
			Map.entry("video/x-ms-wmv", Format.WMV), Map.entry("video/x-ms-asf", Format.WMV),
			Map.entry("application/vnd.ms-asf", Format.WMV), Map.entry("audio/x-ms-wma", Format.WMA),
			Map.entry("audio/mpeg", Format.MP3), Map.entry("audio/x-aac", Format.AAC), Map.entry("audio/aac", Format.AAC),
			Map.entry("audio/ogg", Format.OGG), Map.entry("application/ogg", Format.OGG),
			Map.entry("audio/vorbis", Format.OGG), Map.entry("audio/opus", Format.OPUS), Map.entry("video/ogg", Format.OGG),
			Map.entry("audio/vnd.wave", Format.WAV), Map.entry("audio/x-wav", Format.WAV), Map.entry("audio/wav", Format.WAV),
			Map.entry("audio/x-flac", Format.FLAC), Map.entry("audio/flac", Format.FLAC),
			Map.entry("audio/mp4", Format.M4A), Map.entry("audio/x-m4a", Format.M4A),
			Map.entry("image/jpeg", Format.JPG), Map.entry("image/png", Format.PNG), Map.entry("image/webp", Format.WEBP),
			Map.entry("image/gif", Format.GIF), Map.entry("image/bmp", Format.BMP), Map.entry("image/x-ms-bmp", Format.BMP),
			Map.entry("image/tiff", Format.TIFF),
			Map.entry("application/zip", Format.ZIP), Map.entry("application/x-7z-compressed", Format.SEVEN_Z),
			Map.entry("application/gzip", Format.TAR_GZ), Map.entry("application/x-gzip", Format.TAR_GZ),
			Map.entry("application/x-bzip2", Format.TAR_BZ2), Map.entry("application/x-xz", Format.TAR_XZ));

	private final Tika tika = new Tika();

	Detected inspect(InputStream content) throws IOException {
		try (InputStream in = new BufferedInputStream(content)) {
			String mime = this.tika.detect(in);
			return new Detected(mime, Optional.ofNullable(FORMATS.get(mime)));
		}
	}

	/** What the bytes say: the MIME type Tika found and the format it maps to, if any. */
	record Detected(String mimeType, Optional<Format> format) {
	}

}
