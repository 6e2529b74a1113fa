package com.cct.conversion;

import java.time.Duration;

/** Durations as people write them in messages: {@code 45 s}, {@code 30 min}, {@code 6 h}. */
public final class Durations {

	private Durations() {
	}

	public static String readable(Duration duration) {
		long seconds = Math.max(1, duration.toSeconds());
		if (seconds < 120) {
			return seconds + " s";
		}
		if (seconds < 7200) {
			return (seconds / 60) + " min";
		}
		return (seconds / 3600) + " h";
	}

}
