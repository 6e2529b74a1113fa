package com.cct.task;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.Locale;

import com.cct.format.Format;
import com.cct.format.MediaKind;

/**
 * Client file names are display text only: they never become a path or an ffmpeg argument. This
 * keeps them readable (and safe in a Content-Disposition header) all the same.
 */
public final class FileNames {

	private static final int MAX_LENGTH = 200;

	private FileNames() {
	}

	/** The last path segment, without control characters, trimmed and bounded. */
	static String displayName(String original) {
		String name = original == null ? "" : Normalizer.normalize(original, Normalizer.Form.NFC);
		int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
		name = name.substring(slash + 1).replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
		while (name.startsWith(".")) {
			name = name.substring(1);
		}
		if (name.isEmpty()) {
			return "file";
		}
		if (name.length() > MAX_LENGTH) {
			int dot = name.lastIndexOf('.');
			String ext = (dot > 0 && name.length() - dot <= 10) ? name.substring(dot) : "";
			name = name.substring(0, MAX_LENGTH - ext.length()) + ext;
		}
		return name;
	}

	/** A short lower-case extension for files of no known format ("bin" when there is none). */
	static String rawExtension(String displayName) {
		int dot = displayName.lastIndexOf('.');
		String ext = dot > 0 ? displayName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
		return ext.matches("[a-z0-9]{1,8}") ? ext : "bin";
	}

	/**
	 * The name the result is downloaded under: {@code song.mp3} to ogg gives {@code song.ogg}, while a
	 * file packed into an archive keeps its whole name ({@code report.pdf.zip}).
	 */
	public static String resultName(String displayName, String originalFormat, Format target) {
		boolean packed = target.kind() == MediaKind.ARCHIVE
				&& Format.fromId(originalFormat).map(f -> f.kind() != MediaKind.ARCHIVE).orElse(true);
		String base = packed ? displayName : withoutClaimedExtension(displayName);
		return base + "." + target.extension();
	}

	private static String withoutClaimedExtension(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return Format.claimedBy(name)
			.flatMap(format -> format.names()
				.stream()
				.filter(ext -> lower.endsWith("." + ext))
				.max(Comparator.comparingInt(String::length)))
			.map(ext -> name.substring(0, name.length() - ext.length() - 1))
			.filter(base -> !base.isEmpty())
			.orElse(name);
	}

}
