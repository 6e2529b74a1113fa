package com.cct.media;

import java.io.IOException;
import java.nio.file.Files;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.Durations;
import com.cct.conversion.RejectedInputException;
import com.cct.format.MediaKind;

/**
 * The checks one conversion's input must pass, made on what ffmpeg said of it ({@link #check}, the
 * moment its description is complete) and on how far it got ({@link #reached}): duration, picture
 * size, the tracks the target needs. A refusal kills the conversion's ffmpeg at once and is thrown
 * once it has ended ({@link #throwIfRefused}). Passing sets the deadline from the input's duration.
 */
final class InputLimits {

	private final FfmpegSettings settings;

	private final MediaKind source;

	private final MediaKind target;

	private final InputReport report;

	private final ConversionContext context;

	private volatile RejectedInputException refusal;

	InputLimits(FfmpegSettings settings, MediaKind source, MediaKind target, InputReport report,
			ConversionContext context) {
		this.settings = settings;
		this.source = source;
		this.target = target;
		this.report = report;
		this.context = context;
	}

	/** Runs on the log's reading thread when the input's description is complete. */
	void check() {
		String problem = problem();
		if (problem != null) {
			refuse(problem);
			return;
		}
		this.context.limitTo(MediaConverter.deadlineFor(this.settings, this.report.durationSeconds()));
	}

	private String problem() {
		int width = this.report.width();
		int height = this.report.height();
		if (width > this.settings.maxDimension() || height > this.settings.maxDimension()) {
			return "The picture is too large (" + width + "x" + height + "); the limit is " + this.settings.maxDimension()
					+ " pixels a side.";
		}
		if ((long) width * height > this.settings.maxPixels()) {
			return "The picture is too large (" + width + "x" + height + "); the limit is " + this.settings.maxPixels()
					+ " pixels.";
		}
		if (this.report.durationSeconds() > this.settings.maxDuration().toSeconds()) {
			return tooLong();
		}
		if (this.source == MediaKind.IMAGE && (!this.report.hasVideo() || width <= 0 || height <= 0)) {
			// a picture whose size ffmpeg could not read (a damaged or absurd header, a variant it does not decode)
			return this.report.unsupportedVariant() ? "The picture is stored in a variant of its format this service "
					+ "does not read (such as 16-bit CMYK with transparency)." : "The file holds no picture.";
		}
		if (this.source != MediaKind.IMAGE && !this.report.hasVideo() && !this.report.hasAudio()) {
			return "The file holds neither audio nor video.";
		}
		if (this.target == MediaKind.AUDIO && !this.report.hasAudio()) {
			return "The file has no audio track to convert.";
		}
		if (this.target == MediaKind.VIDEO && !this.report.hasVideo()) {
			return "The file has no video track to convert.";
		}
		return null;
	}

	/**
	 * ffmpeg's position in the input (from its progress stream): an input that did not say how long it
	 * is still stops at the duration limit.
	 */
	void reached(long micros) {
		if (this.refusal == null && micros / 1_000_000 > this.settings.maxDuration().toSeconds()) {
			refuse(tooLong());
		}
	}

	private String tooLong() {
		return "The file is too long; the limit is " + Durations.readable(this.settings.maxDuration()) + ".";
	}

	private void refuse(String reason) {
		this.refusal = new RejectedInputException(reason);
		this.context.processes().kill();
	}

	/** Throws the refusal, if any, once ffmpeg has ended; what it wrote until it was stopped is deleted. */
	void throwIfRefused() throws IOException {
		RejectedInputException refused = this.refusal;
		if (refused != null) {
			Files.deleteIfExists(this.context.output());
			throw refused;
		}
	}

}
