package com.cct.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/**
 * Video, audio and image conversions in one ffmpeg process: it opens the input through the
 * allow-lists of {@link FfmpegCommands} and describes it in its log ({@link InputReport}); the
 * limits are checked the moment that description is complete, before a frame is converted (a file
 * too long, too large or without the track the target needs is refused and its ffmpeg killed), and
 * the deadline is then derived from the input's duration. Progress comes from ffmpeg's own progress
 * stream, which also enforces the duration limit for inputs that do not state one.
 */
@Component
class MediaConverter implements Converter {

	/** What ffmpeg's image checks say when a frame is over {@code -max_pixels}. */
	static final String PIXEL_LIMIT_MARK = "exceeds specified max pixel count";

	private static final Logger log = LoggerFactory.getLogger(MediaConverter.class);

	private final FfmpegSettings settings;

	private final int threads;

	MediaConverter(FfmpegSettings settings, JobRunrProperties jobRunr) throws IOException {
		this.settings = settings;
		checkInstalled(settings.path());
		int cores = Runtime.getRuntime().availableProcessors();
		Integer workerCount = jobRunr.getBackgroundJobServer().getWorkerCount();
		this.threads = settings.threads() > 0 ? settings.threads() : Math.max(1, cores / Math.max(1, workerCount == null ? 1 : workerCount));
	}

	/**
	 * A worker without a working ffmpeg must not start: it would fail every media task it took. Its log
	 * must also say each message's level ({@code -loglevel level+...}, FFmpeg 4.0 and later), which
	 * {@link FfmpegLog} reads the input's description from.
	 */
	private static void checkInstalled(String ffmpeg) throws IOException {
		String version = run(List.of(ffmpeg, "-version"));
		String levelled = run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "level+error", "-i",
				"/nonexistent/cct-startup-check"));
		if (!version.startsWith("ffmpeg version") || !(levelled.contains("[error] ") || levelled.contains("[fatal] "))) {
			throw new IOException(ffmpeg + " is missing, or too old to print log levels (FFmpeg 4.0 or later is needed)");
		}
	}

	private static String run(List<String> command) throws IOException {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			byte[] output = process.getInputStream().readNBytes(64 * 1024);
			process.getInputStream().transferTo(OutputStream.nullOutputStream());
			process.waitFor();
			return new String(output, StandardCharsets.UTF_8);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while checking " + command.get(0), ex);
		}
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
		context.limitOutputTo(this.settings.outputLimitFor(Files.size(context.input())));
		context.checkpoint();
		List<String> command = new ArrayList<>();
		command.add(this.settings.path());
		command.addAll(FfmpegCommands.convert(input, target, task.quality(), context.output(), this.threads,
				this.settings.maxPixels()).build());
		InputReport report = new InputReport();
		InputLimits limits = new InputLimits(this.settings, source.kind(), target.kind(), report, context);
		FfmpegLog ffmpegLog = new FfmpegLog(report, limits::check);
		ErrorTail errors = new ErrorTail(ffmpegLog);
		Process process = context.processes().startReadingOutput(command, errors);
		int exit;
		try {
			readProgress(process, report, limits, context);
			exit = process.waitFor();
		}
		finally {
			process.destroyForcibly();
		}
		String text = errors.text();
		ffmpegLog.finish();
		limits.throwIfRefused();
		context.checkpoint();
		if (exit != 0) {
			context.checkOutputSize();
			throw explain(text, report, source.kind());
		}
		// frames past the pixel limit were refused by the decoder: what was written is not the whole file
		if (text.contains(PIXEL_LIMIT_MARK) || !Files.isRegularFile(context.output())
				|| Files.size(context.output()) == 0) {
			throw explain(text, report, source.kind());
		}
	}

	/**
	 * ffmpeg's progress stream ({@code key=value} lines on standard output): the position reached, as
	 * a fraction of the input's duration once that is known, and checked against the duration limit.
	 */
	private static void readProgress(Process process, InputReport report, InputLimits limits,
			ConversionContext context) throws IOException {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII), 1024)) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith("out_time_us=")) {
					long micros = parseLong(line.substring("out_time_us=".length()));
					limits.reached(micros);
					double total = report.durationSeconds();
					if (total > 0 && micros > 0) {
						context.progress(micros / (total * 1e6));
					}
				}
			}
		}
		catch (IOException ex) {
			// the process was killed (cancel, deadline, a refusal): the outcome is decided after it ended
			log.debug("ffmpeg's progress stream ended: {}", ex.getMessage());
		}
	}

	private static long parseLong(String value) {
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException ex) {
			return 0; // "N/A" before the first frame
		}
	}

	/**
	 * ffmpeg's last error line says what went wrong; resource trouble on our side is worth a retry,
	 * anything else is about the input. An input ffmpeg could not even open is named as such. File
	 * paths are cut out of the message.
	 */
	private RuntimeException explain(String log, InputReport report, MediaKind kind) throws IOException {
		if (Decoders.refusedIn(log)) {
			return new RejectedInputException("The file uses a codec this service does not read.");
		}
		if (log.contains(PIXEL_LIMIT_MARK)) {
			return new RejectedInputException(report.opened() ? "The picture has frames larger than the limit of "
					+ this.settings.maxPixels() + " pixels; it was refused."
					: "The picture is too large: it has more than " + this.settings.maxPixels() + " pixels.");
		}
		String lower = log.toLowerCase(Locale.ROOT);
		if (!report.opened()) {
			if (lower.contains("cannot allocate memory")) {
				throw new IOException("ffmpeg ran out of memory opening the input: " + lastLine(log));
			}
			return new RejectedInputException("The file could not be read as " + noun(kind)
					+ ": it is damaged, truncated or not a supported format.");
		}
		if (kind == MediaKind.IMAGE && (lower.contains("not supported") || lower.contains("unsupported"))) {
			// e.g. a 16-bit CMYK TIFF with an alpha channel: the container is read, its pixels are not
			return new RejectedInputException("The picture is stored in a variant of its format this service does not "
					+ "read (such as 16-bit CMYK with transparency).");
		}
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
	 * where the file system has none), so ffmpeg picks the demuxer by the content alone: by name a
	 * {@code .jpg} goes to the image-sequence demuxer, which is not on the allow-list, and any other
	 * name could steer it too.
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

	static String noun(MediaKind kind) {
		return switch (kind) {
			case VIDEO -> "video";
			case AUDIO -> "audio";
			case IMAGE -> "an image";
			case ARCHIVE -> "an archive";
		};
	}

	/** A generous multiple of the input's duration; the configured ceiling still applies. */
	static Duration deadlineFor(FfmpegSettings settings, double seconds) {
		return settings.deadlineBase().plus(settings.deadlinePerMediaSecond().multipliedBy((long) Math.ceil(seconds)));
	}

}
