package com.cct.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.cct.conversion.RejectedInputException;

/**
 * Entry names come from the uploader: they are checked before they touch the file system and only
 * shown to users reduced to their last segment, so no path ever reaches a message.
 */
final class EntryNames {

	private static final int MAX_SEGMENT_BYTES = 255;

	private static final int MAX_NAME_CHARS = 4096;

	private static final int MAX_DISPLAY_CHARS = 80;

	private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

	private EntryNames() {
	}

	/**
	 * The entry's path relative to the extraction folder, segments joined by {@code /}; empty for the
	 * folder itself ({@code ./}). Backslashes count as separators, since that is how the entry would
	 * land on Windows. Refuses absolute paths, drive letters, {@code ..} segments and control characters.
	 */
	static String relative(String raw) {
		if (raw == null) {
			return "";
		}
		String name = raw.replace('\\', '/');
		if (name.chars().anyMatch(Character::isISOControl)) {
			throw new RejectedInputException(
					"The archive entry '" + display(raw) + "' has control characters in its name; it was refused.");
		}
		if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
			throw escapes(raw);
		}
		List<String> segments = new ArrayList<>();
		for (String segment : name.split("/")) {
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			if (segment.equals("..")) {
				throw escapes(raw);
			}
			if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
				throw tooLong(raw);
			}
			segments.add(segment);
		}
		String relative = String.join("/", segments);
		if (relative.length() > MAX_NAME_CHARS) {
			throw tooLong(raw);
		}
		return relative;
	}

	/** What a message may say about an entry: its last segment, printable, short. */
	static String display(String raw) {
		if (raw == null) {
			return "(unnamed)";
		}
		String name = raw.replace('\\', '/');
		if (DRIVE.matcher(name).matches()) {
			name = name.substring(2);
		}
		while (name.endsWith("/")) {
			name = name.substring(0, name.length() - 1);
		}
		String last = printable(name.substring(name.lastIndexOf('/') + 1));
		if (last.isBlank()) {
			return "(unnamed)";
		}
		return last.length() <= MAX_DISPLAY_CHARS ? last : last.substring(0, MAX_DISPLAY_CHARS) + "...";
	}

	private static String printable(String text) {
		StringBuilder kept = new StringBuilder(text.length());
		text.codePoints()
			.filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT)
			.forEach(kept::appendCodePoint);
		return kept.toString();
	}

	private static RejectedInputException escapes(String raw) {
		return new RejectedInputException("The archive entry '" + display(raw)
				+ "' points outside the archive (an absolute path or '..'); archives with such entries are refused.");
	}

	private static RejectedInputException tooLong(String raw) {
		return new RejectedInputException("The archive entry '" + display(raw) + "' has a name that is too long.");
	}

}
