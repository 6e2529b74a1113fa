package com.cct.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import com.cct.conversion.Durations;
import com.cct.conversion.ErrorTail;
import com.cct.conversion.ProcessScope;
import com.cct.conversion.RejectedInputException;
import com.cct.format.Format;
import com.cct.format.MediaKind;

import net.bramp.ffmpeg.FFprobe;
import net.bramp.ffmpeg.probe.FFmpegFormat;
import net.bramp.ffmpeg.probe.FFmpegProbeResult;
import net.bramp.ffmpeg.probe.FFmpegStream;

/**
 * Reads an input fully with ffprobe before anything converts it. Only local files and an allow-list
 * of demuxers are possible: playlists (hls), concat lists and other formats that open further files
 * or URLs are refused by ffprobe itself. Then size, duration and streams are checked against limits.
 */
@Component
class MediaProbe {

	/** What ffmpeg's image checks say when a frame is over {@code -max_pixels}. */
	static final String PIXEL_LIMIT_MARK = "exceeds specified max pixel count";

	/** Demuxers for every format we read; nothing here follows references to other files. */
	static final String DEMUXERS = String.join(",", Format.allDemuxers());

	private final FfmpegSettings settings;

	private final FFprobe ffprobe;

	MediaProbe(FfmpegSettings settings) {
		this.settings = settings;
		this.ffprobe = new FFprobe(settings.probePath(),
				command -> new FfmpegProcesses().run(sandboxed(command, settings.maxPixels())));
	}

	MediaInfo probe(Path input, MediaKind kind, ProcessScope scope) throws IOException {
		FFmpegProbeResult result;
		ErrorTail errors = new ErrorTail();
		try {
			result = FfmpegProcesses.within(new FfmpegProcesses.Binding(scope, errors),
					() -> this.ffprobe.probe(input.toString()));
		}
		catch (IOException | RuntimeException ex) {
			if (scope.isCancelled() || scope.isExpired()) {
				throw new IOException("probe stopped", ex);
			}
			throw unreadable(kind, errors);
		}
		if (result == null || result.getError() != null || result.getFormat() == null) {
			throw unreadable(kind, errors);
		}
		return check(result, kind, errors.text());
	}

	private MediaInfo check(FFmpegProbeResult result, MediaKind kind, String log) {
		FFmpegFormat format = result.getFormat();
		List<FFmpegStream> streams = result.getStreams() == null ? List.of() : result.getStreams();
		FFmpegStream video = streams.stream()
			.filter(s -> s.codec_type == FFmpegStream.CodecType.VIDEO)
			.findFirst()
			.orElse(null);
		boolean hasAudio = streams.stream().anyMatch(s -> s.codec_type == FFmpegStream.CodecType.AUDIO);
		int width = video == null ? 0 : video.width;
		int height = video == null ? 0 : video.height;
		if (width > this.settings.maxDimension() || height > this.settings.maxDimension()) {
			throw new RejectedInputException("The picture is too large (" + width + "x" + height + "); the limit is "
					+ this.settings.maxDimension() + " pixels a side.");
		}
		if ((long) width * height > this.settings.maxPixels()) {
			throw new RejectedInputException("The picture is too large (" + width + "x" + height + "); the limit is "
					+ this.settings.maxPixels() + " pixels.");
		}
		double duration = Double.isFinite(format.duration) ? format.duration : 0;
		if (duration > this.settings.maxDuration().toSeconds()) {
			throw new RejectedInputException("The file is too long; the limit is "
					+ Durations.readable(this.settings.maxDuration()) + ".");
		}
		if (kind == MediaKind.IMAGE && (video == null || width <= 0 || height <= 0)) {
			if (log.contains("not supported") || log.contains("unsupported")) {
				// e.g. a 16-bit CMYK TIFF with an alpha channel: the container is read, its pixels are not
				throw new RejectedInputException("The picture is stored in a variant of its format this service does not "
						+ "read (such as 16-bit CMYK with transparency).");
			}
			throw new RejectedInputException("The file holds no picture.");
		}
		if (kind != MediaKind.IMAGE && video == null && !hasAudio) {
			throw new RejectedInputException("The file holds neither audio nor video.");
		}
		String demuxer = format.format_name.split(",")[0];
		return new MediaInfo(demuxer, duration, video != null, hasAudio, width, height);
	}

	/**
	 * ffprobe may open local files only, through the allow-listed demuxers and decoders, decoding no
	 * frame over the pixel limit; its errors are printed (the wrapper asks for none) so a refusal can say why.
	 */
	static List<String> sandboxed(List<String> command, long maxPixels) {
		List<String> args = new ArrayList<>(command);
		if (args.size() > 1 && !args.contains("-version")) {
			args.addAll(1, List.of("-protocol_whitelist", "file", "-format_whitelist", DEMUXERS, "-codec_whitelist",
					Decoders.ALLOWED, "-max_pixels", Long.toString(maxPixels)));
			args.addAll(args.size() - 1, List.of("-v", "error"));
		}
		return args;
	}

	private RejectedInputException unreadable(MediaKind kind, ErrorTail errors) {
		String log = errors.text();
		if (Decoders.refusedIn(log)) {
			return new RejectedInputException("The file uses a codec this service does not read.");
		}
		if (log.contains(PIXEL_LIMIT_MARK)) {
			return new RejectedInputException("The picture is too large: it has more than " + this.settings.maxPixels()
					+ " pixels.");
		}
		return new RejectedInputException(
				"The file could not be read as " + noun(kind) + ": it is damaged, truncated or not a supported format.");
	}

	private static String noun(MediaKind kind) {
		return switch (kind) {
			case VIDEO -> "video";
			case AUDIO -> "audio";
			case IMAGE -> "an image";
			case ARCHIVE -> "an archive";
		};
	}

}
