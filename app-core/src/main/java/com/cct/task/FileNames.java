package com.cct.task;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Comparator;
import java.util.Locale;

import com.cct.format.ConversionMatrix.Operation;
import com.cct.format.Format;

/**
 * The one sanitiser of client file names. They are display text only: they never become a path or
 * an ffmpeg argument. This keeps them readable (and safe in a Content-Disposition header and as an
 * archive entry) all the same.
 */
public final class FileNames {

	private static final int MAX_LENGTH = 200;

	/** The longest file name most file systems take, in bytes. */
	private static final int MAX_ENTRY_BYTES = 255;

	private FileNames() {
	}

	/** The last path segment, without control characters or leading dots, trimmed and bounded. */
	public static String displayName(String original) {
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
			int cut = MAX_LENGTH - ext.length();
			// never half of a character outside the basic plane (an emoji)
			if (Character.isHighSurrogate(name.charAt(cut - 1))) {
				cut--;
			}
			name = name.substring(0, cut) + ext;
		}
		return name;
	}

	/** A short lower-case extension for files of no known format ("bin" when there is none). */
	public static String rawExtension(String displayName) {
		int dot = displayName.lastIndexOf('.');
		String ext = dot > 0 ? displayName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
		return ext.matches("[a-z0-9]{1,8}") ? ext : "bin";
	}

	/**
	 * The name the result is downloaded under: {@code song.mp3} to ogg gives {@code song.ogg}, while a
	 * file packed into an archive keeps its whole name ({@code report.pdf.zip}).
	 */
	public static String resultName(Task task) {
		String name = task.fileName();
		String base = task.operation() == Operation.PACK ? name : withoutClaimedExtension(name);
		return base + "." + task.target().extension();
	}

	/**
	 * The name a packed upload gets inside its archive: its display name, cut to what a file system
	 * takes (the extension, the part that tells what the file is, is kept).
	 */
	public static String entryName(String fileName) {
		String name = displayName(fileName);
		while (name.getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
			int dot = name.lastIndexOf('.');
			int cut = dot > 0 && name.length() - dot <= 16 ? dot - 1 : name.length() - 1;
			name = name.substring(0, Character.isLowSurrogate(name.charAt(cut)) ? cut - 1 : cut) + name.substring(cut + 1);
		}
		return name;
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
