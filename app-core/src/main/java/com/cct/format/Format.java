package com.cct.format;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every format the service reads or writes, described once: the id clients send as
 * {@code newFormat} (also the extension results get), its aliases, its kind, the MIME types content
 * detection may report for it, the ffmpeg demuxers that may read it and the ffmpeg muxer that
 * writes it. Adding a format is one entry here (plus its codecs in the worker's command builder).
 * Aliases keep the course's spelling ({@code acc}) working.
 */
public enum Format {

	MP4("mp4", MediaKind.VIDEO, aka("m4v"), mimes("video/mp4", "video/x-m4v"), readBy(Demuxers.MOV), "mp4"),
	WEBM("webm", MediaKind.VIDEO, aka("weba"), mimes("video/webm", "audio/webm"), readBy(Demuxers.MATROSKA), "webm"),
	AVI("avi", MediaKind.VIDEO, aka(), mimes("video/x-msvideo", "video/avi", "video/msvideo"), readBy("avi"), "avi"),
	MPEG("mpeg", MediaKind.VIDEO, aka("mpg", "vob"), mimes("video/mpeg"), readBy("mpeg", "mpegts"), "mpeg"),
	WMV("wmv", MediaKind.VIDEO, aka(), mimes("video/x-ms-wmv", "video/x-ms-asf", "application/vnd.ms-asf"),
			readBy(Demuxers.ASF), "asf"),
	MOV("mov", MediaKind.VIDEO, aka("qt"), mimes("video/quicktime"), readBy(Demuxers.MOV), "mov"),
	// Tika reports WebM and Matroska files alike as application/x-matroska; a .webm stays webm by its name
	// MPEG transport streams from cameras and recorders (188-byte packets, or 192 in .m2ts/.mts)
	TS("ts", MediaKind.VIDEO, aka("mts", "m2ts", "m2t"), mimes("video/mp2t"), readBy("mpegts"), "mpegts"),
	FLV("flv", MediaKind.VIDEO, aka(), mimes("video/x-flv"), readBy("flv"), "flv"),
	THREE_GP("3gp", MediaKind.VIDEO, aka("3g2"), mimes("video/3gpp", "video/3gpp2"), readBy(Demuxers.MOV), "3gp"),
	OGV("ogv", MediaKind.VIDEO, aka(), mimes("video/ogg", "video/theora", "video/x-theora"), readBy(Demuxers.OGG), "ogg"),
	MKV("mkv", MediaKind.VIDEO, aka("mka"), mimes("video/x-matroska", "application/x-matroska"), readBy(Demuxers.MATROSKA),
			"matroska"),

	MP3("mp3", MediaKind.AUDIO, aka(), mimes("audio/mpeg", "audio/x-mpeg", "audio/mp3"), readBy("mp3"), "mp3"),
	AAC("aac", MediaKind.AUDIO, aka("acc"), mimes("audio/x-aac", "audio/aac"), readBy("aac"), "adts"),
	OGG("ogg", MediaKind.AUDIO, aka("oga", "spx"), mimes("audio/ogg", "application/ogg", "application/x-ogg", "audio/vorbis",
			"audio/x-oggflac", "audio/x-oggpcm", "audio/speex"),
			readBy(Demuxers.OGG), "ogg"),
	WAV("wav", MediaKind.AUDIO, aka("wave", "bwf"), mimes("audio/vnd.wave", "audio/x-wav", "audio/wave", "audio/wav"), readBy("wav"), "wav"),
	WMA("wma", MediaKind.AUDIO, aka(), mimes("audio/x-ms-wma"), readBy(Demuxers.ASF), "asf"),
	FLAC("flac", MediaKind.AUDIO, aka(), mimes("audio/x-flac", "audio/flac"), readBy("flac"), "flac"),
	AIFF("aiff", MediaKind.AUDIO, aka("aif", "aifc"), mimes("audio/x-aiff", "audio/aiff"), readBy("aiff"), "aiff"),
	AC3("ac3", MediaKind.AUDIO, aka("eac3"), mimes("audio/ac3", "audio/x-ac3", "audio/vnd.dolby.dd-raw", "audio/eac3"),
			readBy("ac3", "eac3"), "ac3"),
	M4A("m4a", MediaKind.AUDIO, aka("m4r"), mimes("audio/mp4", "audio/x-m4a", "audio/x-mp4a"), readBy(Demuxers.MOV), "ipod"),
	// audiobooks: AAC in MP4 as m4a, under the name players file as a book (Tika says audio/mp4: m4a above)
	M4B("m4b", MediaKind.AUDIO, aka(), mimes(), readBy(Demuxers.MOV), "ipod"),
	OPUS("opus", MediaKind.AUDIO, aka(), mimes("audio/opus"), readBy(Demuxers.OGG), "opus"),
	// Sun/NeXT audio, as sox and old Unix tools write it
	AU("au", MediaKind.AUDIO, aka("snd"), mimes("audio/basic"), readBy("au"), "au"),
	// phone voice recordings; nothing here encodes AMR, so it is read only
	// Apple Core Audio files (GarageBand, Logic, iOS); written as lossless ALAC
	CAF("caf", MediaKind.AUDIO, aka(), mimes("audio/x-caf"), readBy("caf"), "caf"),
	AMR("amr", MediaKind.AUDIO, aka("awb"), mimes("audio/amr", "audio/amr-wb"), readBy("amr"), null),

	JPG("jpg", MediaKind.IMAGE, aka("jpeg", "jpe", "jfif", "jif"), mimes("image/jpeg"), readBy("jpeg_pipe"), "image2"),
	// an animated PNG (APNG) is read by its own demuxer, as its first frame
	PNG("png", MediaKind.IMAGE, aka("apng"), mimes("image/png", "image/apng", "image/vnd.mozilla.apng"),
			readBy("png_pipe", "apng"), "image2"),
	WEBP("webp", MediaKind.IMAGE, aka(), mimes("image/webp"), readBy("webp_pipe"), "webp"),
	GIF("gif", MediaKind.IMAGE, aka(), mimes("image/gif"), readBy("gif"), "gif"),
	BMP("bmp", MediaKind.IMAGE, aka("dib"), mimes("image/bmp", "image/x-bmp", "image/x-ms-bmp"), readBy("bmp_pipe"), "image2"),
	// iPhone photos; libheif decodes them (ffmpeg cannot put their tiles together), nothing writes them
	HEIC("heic", MediaKind.IMAGE, aka("heif", "hif"), mimes("image/heic", "image/heif", "image/heic-sequence",
			"image/heif-sequence", "image/hevc", "image/hevc-sequence"), readBy(), null),
	AVIF("avif", MediaKind.IMAGE, aka(), mimes("image/avif"), readBy(Demuxers.MOV), "avif"),
	TIFF("tiff", MediaKind.IMAGE, aka("tif"), mimes("image/tiff"), readBy("tiff_pipe"), "image2"),

	ZIP("zip", MediaKind.ARCHIVE, aka(), mimes("application/zip", "application/x-zip-compressed"), readBy(), null),
	SEVEN_Z("7z", MediaKind.ARCHIVE, aka(), mimes("application/x-7z-compressed"), readBy(), null),
	TAR_GZ("tar.gz", MediaKind.ARCHIVE, aka("tgz"), mimes("application/gzip", "application/x-gzip",
			"application/x-gzip-compressed"), readBy(),
			null),
	TAR_BZ2("tar.bz2", MediaKind.ARCHIVE, aka("tbz2"), mimes("application/x-bzip2"), readBy(), null),
	TAR_XZ("tar.xz", MediaKind.ARCHIVE, aka("txz"), mimes("application/x-xz"), readBy(), null);

	private final String id;

	private final MediaKind kind;

	private final List<String> aliases;

	private final List<String> mimeTypes;

	private final List<String> demuxers;

	private final String muxer;

	Format(String id, MediaKind kind, List<String> aliases, List<String> mimeTypes, List<String> demuxers,
			String muxer) {
		this.id = id;
		this.kind = kind;
		this.aliases = aliases;
		this.mimeTypes = mimeTypes;
		this.demuxers = demuxers;
		this.muxer = muxer;
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

	/** The MIME types Apache Tika reports for content of this format. */
	public List<String> mimeTypes() {
		return this.mimeTypes;
	}

	/** The ffmpeg demuxers allowed to read this format (none for archives). */
	public List<String> demuxers() {
		return this.demuxers;
	}

	/** Whether libheif, not ffmpeg, decodes this format (into a picture ffmpeg then reads). */
	public boolean decodedByLibheif() {
		return this == HEIC;
	}

	/** Whether the service can produce this format. */
	public boolean writable() {
		return this.kind == MediaKind.ARCHIVE || this.muxer != null;
	}

	/** The ffmpeg muxer that writes this format; empty for archives and formats only read. */
	public Optional<String> muxer() {
		return Optional.ofNullable(this.muxer);
	}

	/** The id and its aliases, as file extensions. */
	public List<String> names() {
		return Stream.concat(Stream.of(this.id), this.aliases.stream()).toList();
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

	/** The format whose content Tika reports as this MIME type. */
	public static Optional<Format> ofMimeType(String mimeType) {
		return Arrays.stream(values()).filter(format -> format.mimeTypes.contains(mimeType)).findFirst();
	}

	/** Every demuxer some format may be read with: the probe's allow-list. */
	public static List<String> allDemuxers() {
		return Arrays.stream(values()).flatMap(format -> format.demuxers.stream()).distinct().toList();
	}

	@Override
	public String toString() {
		return this.id;
	}

	private static List<String> aka(String... aliases) {
		return List.of(aliases);
	}

	private static List<String> mimes(String... types) {
		return List.of(types);
	}

	private static List<String> readBy(String... names) {
		return List.of(names);
	}

	/** Demuxers that read several of our formats. */
	private static final class Demuxers {

		static final String MOV = "mov,mp4,m4a,3gp,3g2,mj2";

		static final String MATROSKA = "matroska,webm";

		static final String ASF = "asf";

		static final String OGG = "ogg";

	}

}
