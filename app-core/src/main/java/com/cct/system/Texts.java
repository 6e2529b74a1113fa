package com.cct.system;

/** Text that reaches users or logs from elsewhere (ffmpeg, clients) is bounded and printable. */
public final class Texts {

	private Texts() {
	}

	/** At most {@code max} characters (plus "..." when cut), control characters removed. */
	public static String abbreviate(String text, int max) {
		String clean = text == null ? "" : text.replaceAll("\\p{Cntrl}", "");
		return clean.length() <= max ? clean : clean.substring(0, max) + "...";
	}

}
