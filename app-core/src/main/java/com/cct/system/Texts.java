package com.cct.system;

/** Text that reaches users or logs from elsewhere (ffmpeg, clients) is bounded and printable. */
public final class Texts {

	private Texts() {
	}

	/** A byte count as people write it: {@code 4 GB}, {@code 512 MB}, {@code 1536 KB}, {@code 10 bytes}. */
	public static String bytes(long count) {
		String[] units = { "bytes", "KB", "MB", "GB", "TB" };
		long value = count;
		int unit = 0;
		while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
			value /= 1024;
			unit++;
		}
		return value + " " + units[unit];
	}

	/** At most {@code max} characters (plus "..." when cut), control characters removed. */
	public static String abbreviate(String text, int max) {
		String clean = text == null ? "" : text.replaceAll("\\p{Cntrl}", "");
		return clean.length() <= max ? clean : clean.substring(0, max) + "...";
	}

}
