package com.cct.format;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every format the service reads or writes, with the id clients send as {@code newFormat} and the
 * file extension results get. Aliases keep the course's spelling ({@code acc}) working.
 */
public enum Format {

	MP4("mp4", MediaKind.VIDEO, "m4v"),
	WEBM("webm", MediaKind.VIDEO),
	AVI("avi", MediaKind.VIDEO),
	MPEG("mpeg", MediaKind.VIDEO, "mpg"),
	WMV("wmv", MediaKind.VIDEO),
	MOV("mov", MediaKind.VIDEO),
	MKV("mkv", MediaKind.VIDEO),

	MP3("mp3", MediaKind.AUDIO),
	AAC("aac", MediaKind.AUDIO, "acc"),
	OGG("ogg", MediaKind.AUDIO, "oga"),
	WAV("wav", MediaKind.AUDIO),
	WMA("wma", MediaKind.AUDIO),
	FLAC("flac", MediaKind.AUDIO),
	M4A("m4a", MediaKind.AUDIO),
	OPUS("opus", MediaKind.AUDIO),

	JPG("jpg", MediaKind.IMAGE, "jpeg"),
	PNG("png", MediaKind.IMAGE),
	WEBP("webp", MediaKind.IMAGE),
	GIF("gif", MediaKind.IMAGE),
	BMP("bmp", MediaKind.IMAGE),
	TIFF("tiff", MediaKind.IMAGE, "tif"),

	ZIP("zip", MediaKind.ARCHIVE),
	SEVEN_Z("7z", MediaKind.ARCHIVE),
	TAR_GZ("tar.gz", MediaKind.ARCHIVE, "tgz"),
	TAR_BZ2("tar.bz2", MediaKind.ARCHIVE, "tbz2"),
	TAR_XZ("tar.xz", MediaKind.ARCHIVE, "txz");

	private final String id;

	private final MediaKind kind;

	private final List<String> aliases;

	Format(String id, MediaKind kind, String... aliases) {
		this.id = id;
		this.kind = kind;
		this.aliases = List.of(aliases);
	}

	@JsonValue
	public String id() {
		return this.id;
	}

	public MediaKind kind() {
		return this.kind;
	}

	public String extension() {
		return this.id;
	}

	/** Looks a format up by id or alias, ignoring case and a leading dot. */
	public static Optional<Format> fromId(String value) {
		if (value == null) {
			return Optional.empty();
		}
		String wanted = value.trim().toLowerCase(Locale.ROOT);
		if (wanted.startsWith(".")) {
			wanted = wanted.substring(1);
		}
		for (Format format : values()) {
			if (format.id.equals(wanted) || format.aliases.contains(wanted)) {
				return Optional.of(format);
			}
		}
		return Optional.empty();
	}

	/** The format a file name claims by its extension ({@code a.tar.gz} claims tar.gz, not gz). */
	public static Optional<Format> claimedBy(String fileName) {
		if (fileName == null) {
			return Optional.empty();
		}
		String lower = fileName.toLowerCase(Locale.ROOT);
		Format best = null;
		int bestLength = 0;
		for (Format format : values()) {
			for (String ext : format.names()) {
				if (lower.endsWith("." + ext) && ext.length() > bestLength) {
					best = format;
					bestLength = ext.length();
				}
			}
		}
		return Optional.ofNullable(best);
	}

	/** The id and its aliases, as file extensions. */
	public List<String> names() {
		return java.util.stream.Stream.concat(java.util.stream.Stream.of(this.id), this.aliases.stream()).toList();
	}

	@Override
	public String toString() {
		return this.id;
	}

}
