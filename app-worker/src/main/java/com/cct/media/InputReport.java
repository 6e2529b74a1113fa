package com.cct.media;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ffmpeg says of its input while it opens it, read from its own log ({@code -loglevel level+info}),
 * so the conversion needs no separate ffprobe process: the {@code Input #0} block with its duration
 * and streams, printed before any frame is decoded. {@link #accept} takes each info line; the block
 * is {@link #complete()} at the first line that is not part of it (the stream mapping, the output,
 * an error), or when ffmpeg ends.
 * <p>
 * The block quotes the file's own tags, and a tag can hold a line break followed by text shaped like a
 * header line. Nothing read here is trusted beyond what such a forgery could only turn against its
 * own upload: a longer duration (a refusal, or a deadline that is still capped by the job ceiling),
 * larger pictures (a refusal). The limits that matter are ffmpeg's and the kernel's own
 * ({@code -max_pixels}, the allow-lists, the jail, the watchdog); the duration is also checked
 * against the progress ffmpeg reports as it converts.
 */
final class InputReport {

	/**
	 * Lines of the input block read at most. Nothing is kept per line, so this is generous: an audiobook
	 * with a thousand chapters prints three lines each; a file past it is cut here.
	 */
	static final int MAX_LINES = 200_000;

	private static final Pattern DURATION = Pattern.compile("^ {2}Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");

	private static final Pattern STREAM = Pattern.compile("^ {2,4}Stream #0:\\d+\\S*: (Video|Audio|Subtitle|Data|Attachment): (.*)$");

	private static final Pattern SIZE = Pattern.compile(", (\\d{1,7})x(\\d{1,7})(?=[ ,]|$)");

	private boolean opened;

	private boolean complete;

	private int lines;

	private double durationSeconds;

	private boolean audio;

	private boolean video;

	private int width;

	private int height;

	private boolean unsupportedVariant;

	/**
	 * One info line of ffmpeg's log, its level prefix removed; false once the input block is over
	 * (this line is not part of it).
	 */
	synchronized boolean accept(String line) {
		if (this.complete) {
			return false;
		}
		if (!this.opened) {
			this.opened = line.startsWith("Input #0,");
			return this.opened;
		}
		if (!line.startsWith("  ") || ++this.lines > MAX_LINES) {
			this.complete = true;
			return false;
		}
		Matcher duration = DURATION.matcher(line);
		if (duration.find()) {
			double seconds = Integer.parseInt(duration.group(1)) * 3600.0 + Integer.parseInt(duration.group(2)) * 60
					+ Double.parseDouble(duration.group(3));
			// the largest of what is said: see the class comment
			this.durationSeconds = Math.max(this.durationSeconds, seconds);
			return true;
		}
		Matcher stream = STREAM.matcher(line);
		if (stream.find()) {
			if ("Audio".equals(stream.group(1))) {
				this.audio = true;
			}
			else if ("Video".equals(stream.group(1))) {
				this.video = true;
				Matcher size = SIZE.matcher(stream.group(2));
				if (size.find()) {
					this.width = Math.max(this.width, Integer.parseInt(size.group(1)));
					this.height = Math.max(this.height, Integer.parseInt(size.group(2)));
				}
			}
		}
		return true;
	}

	/** An error ffmpeg reported while it opened the input (before the block is complete). */
	synchronized void error(String text) {
		String lower = text.toLowerCase(java.util.Locale.ROOT);
		if (lower.contains("not supported") || lower.contains("unsupported")) {
			this.unsupportedVariant = true;
		}
	}

	/**
	 * Whether opening the input reported a feature it does not read (e.g. a 16-bit CMYK TIFF with an alpha
	 * channel: the container is read, its pixels are not).
	 */
	synchronized boolean unsupportedVariant() {
		return this.unsupportedVariant;
	}

	/** The block is over: ffmpeg went on to the output, reported an error, or ended. */
	synchronized void end() {
		this.complete = true;
	}

	synchronized boolean complete() {
		return this.complete;
	}

	/** Whether ffmpeg opened the input at all (it names it before anything else). */
	synchronized boolean opened() {
		return this.opened;
	}

	/** 0 when unknown or a still picture. */
	synchronized double durationSeconds() {
		return this.durationSeconds;
	}

	synchronized boolean hasAudio() {
		return this.audio;
	}

	synchronized boolean hasVideo() {
		return this.video;
	}

	synchronized int width() {
		return this.width;
	}

	synchronized int height() {
		return this.height;
	}

}
