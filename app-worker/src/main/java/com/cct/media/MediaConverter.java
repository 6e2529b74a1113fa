package com.cct.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.springframework.stereotype.Component;

import com.cct.conversion.ConversionContext;
import com.cct.conversion.Converter;
import com.cct.conversion.ErrorTail;
import com.cct.conversion.RejectedInputException;
import com.cct.format.ConversionMatrix.Operation;
import com.cct.format.Format;
import com.cct.format.MediaKind;
import com.cct.system.Texts;
import com.cct.task.Task;

import net.bramp.ffmpeg.FFmpeg;
import net.bramp.ffmpeg.builder.FFmpegBuilder;

/**
 * Video, audio and image conversions: probe, derive the deadline from the input's duration, run the
 * command {@link FfmpegCommands} builds, report progress from ffmpeg's own progress stream.
 */
@Component
class MediaConverter implements Converter {

	private final FfmpegSettings settings;

	private final MediaProbe probe;

	private final FFmpeg ffmpeg;

	private final int threads;

	MediaConverter(FfmpegSettings settings, MediaProbe probe, JobRunrProperties jobRunr) throws IOException {
		this.settings = settings;
		this.probe = probe;
		this.ffmpeg = new FFmpeg(settings.path(), new FfmpegProcesses());
		int cores = Runtime.getRuntime().availableProcessors();
		Integer workerCount = jobRunr.getBackgroundJobServer().getWorkerCount();
		this.threads = settings.threads() > 0 ? settings.threads() : Math.max(1, cores / Math.max(1, workerCount == null ? 1 : workerCount));
	}

	@Override
	public boolean handles(Task task) {
		return task.operation() == Operation.MEDIA;
	}

	@Override
	public void convert(ConversionContext context) throws IOException, InterruptedException {
		Task task = context.task();
		Format source = task.source();
		Format target = task.target();
		Path input = withoutExtension(context, decoded(context, source));
		MediaInfo info = this.probe.probe(input, source.kind(), context.processes());
		if (target.kind() == MediaKind.AUDIO && !info.hasAudio()) {
			throw new RejectedInputException("The file has no audio track to convert.");
		}
		if (target.kind() == MediaKind.VIDEO && !info.hasVideo()) {
			throw new RejectedInputException("The file has no video track to convert.");
		}
		context.limitTo(deadlineFor(this.settings, info.durationSeconds()));
		context.limitOutputTo(this.settings.outputLimitFor(Files.size(context.input())));
		context.checkpoint();
		FFmpegBuilder command = FfmpegCommands.convert(input, info, target, task.quality(), context.output(),
				this.threads, this.settings.maxPixels());
		ErrorTail errors = new ErrorTail();
		double totalNanos = info.durationSeconds() * 1e9;
		try {
			FfmpegProcesses.within(new FfmpegProcesses.Binding(context.processes(), errors), () -> {
				this.ffmpeg.run(command, progress -> {
					if (totalNanos > 0 && progress.out_time_ns > 0) {
						context.progress(progress.out_time_ns / totalNanos);
					}
				});
				return null;
			});
		}
		catch (IOException | RuntimeException ex) {
			context.checkpoint();
			context.checkOutputSize();
			throw explain(errors.text());
		}
		context.checkpoint();
		String log = errors.text();
		// frames past the pixel limit were refused by the decoder: what was written is not the whole file
		if (log.contains(MediaProbe.PIXEL_LIMIT_MARK) || !Files.isRegularFile(context.output())
				|| Files.size(context.output()) == 0) {
			throw explain(log);
		}
	}

	/**
	 * ffmpeg's last error line says what went wrong; resource trouble on our side is worth a retry,
	 * anything else is about the input. File paths are cut out of the message.
	 */
	private RuntimeException explain(String log) throws IOException {
		if (Decoders.refusedIn(log)) {
			return new RejectedInputException("The file uses a codec this service does not read.");
		}
		if (log.contains(MediaProbe.PIXEL_LIMIT_MARK)) {
			return new RejectedInputException("The picture has frames larger than the limit of " + this.settings.maxPixels()
					+ " pixels; it was refused.");
		}
		String lower = log.toLowerCase(Locale.ROOT);
		if (lower.contains("no space left") || lower.contains("cannot allocate memory")
				|| lower.contains("resource temporarily unavailable")) {
			throw new IOException("ffmpeg ran out of resources: " + lastLine(log));
		}
		String detail = lastLine(log).replaceAll("(/[^\\s:]+)+", "").replaceAll("\\s+", " ").strip();
		return new RejectedInputException("ffmpeg could not convert this file"
				+ (detail.isEmpty() ? "." : ": " + Texts.abbreviate(detail, 200)));
	}

	private static String lastLine(String log) {
		List<String> lines = log.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
		return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
	}

	/**
	 * The original under a name without an extension (a hard link beside it, a symbolic link
	 * where the file system has none), so ffprobe picks the demuxer by the content alone: by name a
	 * {@code .jpg} goes to the image-sequence demuxer, which is not on the allow-list, and any other
	 * name could steer it too. ffmpeg then reads it through the demuxer the probe found.
	 */
	private static Path withoutExtension(ConversionContext context, Path original) throws IOException {
		Path link = context.newTempFile();
		try {
			return Files.createLink(link, original);
		}
		catch (IOException | UnsupportedOperationException ex) {
			return Files.createSymbolicLink(link, original);
		}
	}

	/**
	 * The picture ffmpeg reads: the original, or what a helper made of what ffmpeg cannot read
	 * itself. An HEIC/HEIF photo is decoded by libheif's {@code heif-convert} into a PNG, its tiles
	 * put together and its rotation and mirroring applied, so a portrait photo stays upright. Of an
	 * animated WebP (ffmpeg's WebP decoder reads stills only) libwebp's {@code webpmux} takes the
	 * first frame. Both run jailed like ffmpeg, writing into scratch space.
	 */
	private static Path decoded(ConversionContext context, Format source) throws IOException, InterruptedException {
		Path input = context.input();
		if (source.decodedByLibheif()) {
			Path png = context.newTempFile("png");
			decodeWith(context, List.of("heif-convert", "--quiet", input.toString(), png.toString()),
					"The file could not be read as an HEIC/HEIF photo: it is damaged, truncated or uses a feature this "
							+ "service does not read.");
			// a file of several pictures is written as name-1.png, name-2.png, ...: the first is the photo
			Path first = png.resolveSibling(png.getFileName().toString().replace(".png", "-1.png"));
			return Files.isRegularFile(png) || !Files.isRegularFile(first) ? checked(context, png) : first;
		}
		if (source == Format.WEBP && AnimatedWebp.is(input)) {
			Path frame = context.newTempFile("webp");
			decodeWith(context, List.of("webpmux", "-get", "frame", "1", input.toString(), "-o", frame.toString()),
					"The animated WebP could not be read: it is damaged or truncated.");
			return checked(context, frame);
		}
		return input;
	}

	private static void decodeWith(ConversionContext context, List<String> command, String failure)
			throws IOException, InterruptedException {
		ErrorTail errors = new ErrorTail();
		Process process = context.processes().startReadingOutput(command, errors);
		process.getInputStream().transferTo(OutputStream.nullOutputStream());
		int exit = process.waitFor();
		context.checkpoint();
		if (exit != 0) {
			context.checkOutputSize();
			throw new RejectedInputException(failure);
		}
	}

	private static Path checked(ConversionContext context, Path decoded) throws IOException {
		if (!Files.isRegularFile(decoded) || Files.size(decoded) == 0) {
			context.checkOutputSize();
			throw new RejectedInputException("The picture could not be decoded: it is damaged or truncated.");
		}
		return decoded;
	}

	/** A generous multiple of the input's duration; the configured ceiling still applies. */
	static Duration deadlineFor(FfmpegSettings settings, double seconds) {
		return settings.deadlineBase().plus(settings.deadlinePerMediaSecond().multipliedBy((long) Math.ceil(seconds)));
	}

}
