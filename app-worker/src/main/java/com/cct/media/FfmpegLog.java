package com.cct.media;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cct.conversion.ErrorTail;

/**
 * Reads ffmpeg's log, printed with {@code -loglevel level+info} so every message says its level:
 * the info lines that describe the input go to the {@link InputReport} (and, once it is complete,
 * to {@code inputKnown}, on the log's reading thread); errors are kept in the tail as
 * {@code -v error} would print them (the level removed); everything else is dropped.
 */
final class FfmpegLog implements ErrorTail.Lines {

	/** Optional "[demuxer @ 0x...] " contexts, then the level. */
	private static final Pattern PREFIXED = Pattern
		.compile("^((?:\\[[^\\]\\[]{1,64} @ 0x[0-9a-f]{1,16}\\] )*)\\[(panic|fatal|error|warning|info|verbose|debug|trace)\\] (.*)$");

	private final InputReport input;

	private final Runnable inputKnown;

	private boolean announced;

	private boolean keepingMessage;

	FfmpegLog(InputReport input, Runnable inputKnown) {
		this.input = input;
		this.inputKnown = inputKnown;
	}

	@Override
	public String keep(String line) {
		Matcher prefixed = PREFIXED.matcher(line);
		if (!prefixed.matches()) {
			// the rest of a message that spans lines: kept with the message it belongs to
			return this.keepingMessage ? line : null;
		}
		String level = prefixed.group(2);
		String text = prefixed.group(3);
		if (!this.input.complete()) {
			if ("info".equals(level) && this.input.accept(text)) {
				this.keepingMessage = false;
				return null;
			}
			if (this.input.opened()) {
				finish();
			}
		}
		this.keepingMessage = "error".equals(level) || "fatal".equals(level) || "panic".equals(level);
		if (this.keepingMessage && !this.input.complete()) {
			this.input.error(text);
		}
		return this.keepingMessage ? prefixed.group(1) + text : null;
	}

	/** The input block is over (also when ffmpeg ended right after it): announced once. */
	synchronized void finish() {
		this.input.end();
		if (this.input.opened() && !this.announced) {
			this.announced = true;
			this.inputKnown.run();
		}
	}

}
