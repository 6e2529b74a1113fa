package com.cct.archive;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
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

	/** The code page of zip names not flagged as UTF-8 (the format's own default, DOS and Windows tools). */
	private static final Charset ZIP_LEGACY = Charset.isSupported("IBM437") ? Charset.forName("IBM437")
			: StandardCharsets.ISO_8859_1;

	private EntryNames() {
	}

	/**
	 * A zip entry's name from its bytes: UTF-8 when they are valid UTF-8 (Info-ZIP on Linux, macOS,
	 * anything flagged so), else code page 437, which is what an unflagged name means in the zip
	 * format. Never replacement characters, so two entries never end up with the same name.
	 */
	static String ofZip(byte[] raw) {
		return utf8(raw).orElseGet(() -> new String(raw, ZIP_LEGACY));
	}

	/**
	 * A tar entry's name as read byte for byte (ISO-8859-1): UTF-8 when its bytes are valid UTF-8,
	 * else Latin-1, the encoding of older Unix systems. A PAX header's name is already decoded (it is
	 * always UTF-8) and may hold characters past U+00FF: it stays as it is.
	 */
	static String ofTar(String name) {
		if (name == null || name.chars().anyMatch(c -> c > 0xff)) {
			return name;
		}
		byte[] raw = name.getBytes(StandardCharsets.ISO_8859_1);
		return utf8(raw).orElse(name);
	}

	private static java.util.Optional<String> utf8(byte[] raw) {
		try {
			return java.util.Optional.of(StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(raw))
				.toString());
		}
		catch (CharacterCodingException ex) {
			return java.util.Optional.empty();
		}
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
