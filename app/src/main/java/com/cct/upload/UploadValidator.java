package com.cct.upload;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.cct.format.ConversionMatrix;
import com.cct.format.ConversionMatrix.Operation;
import com.cct.format.Format;
import com.cct.format.MediaKind;
import com.cct.format.Quality;
import com.cct.system.Texts;
import com.cct.task.FileNames;
import com.cct.web.Problems;

/**
 * Every rule an upload must pass, in one place: the fields first ({@link #validate}), then what its
 * bytes show against what its name claims and the target ({@link #sourceOf}). Each failure is a 4xx
 * problem with a stable type. Audio and video count as one family: containers such as mp4 hold
 * either.
 */
@Component
class UploadValidator {

	private static final int MAX_IDEMPOTENCY_KEY = 200;

	private final UploadSettings settings;

	UploadValidator(UploadSettings settings) {
		this.settings = settings;
	}

	/** An {@code Idempotency-Key} header, checked; null when there is none. */
	String idempotencyKey(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String key = value.strip();
		if (key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
			throw Problems.badRequest("invalid-idempotency-key", "Invalid Idempotency-Key",
					"An Idempotency-Key is 1 to 200 visible ASCII characters.");
		}
		return key;
	}

	/** Between the targets of a batch: {@code newFormat=mp3,ogg,flac}. */
	static final String TARGET_SEPARATOR = ",";

	/** The most targets one upload may have; each is a task of its own. */
	static final int MAX_TARGETS = 10;

	/**
	 * Checks everything that needs no bytes, for each target of {@code newFormat} (one, or a batch
	 * separated by {@value #TARGET_SEPARATOR}), in their order. Refused whole: one invalid target, a
	 * repeated one, or more than {@value #MAX_TARGETS}.
	 */
	List<ValidatedUpload> validateAll(UploadRequest request) {
		if (request.newFormat() == null || !request.newFormat().contains(TARGET_SEPARATOR)) {
			return List.of(validate(request));
		}
		String[] targets = request.newFormat().split(TARGET_SEPARATOR, -1);
		if (targets.length > MAX_TARGETS) {
			throw Problems.badRequest("too-many-targets", "Too many target formats",
					"One upload may name at most " + MAX_TARGETS + " target formats; this one names " + targets.length
							+ ".");
		}
		List<ValidatedUpload> uploads = new ArrayList<>();
		Set<Format> seen = new HashSet<>();
		for (String target : targets) {
			ValidatedUpload upload = validate(request.withNewFormat(target.strip()));
			if (!seen.add(upload.target())) {
				throw Problems.badRequest("duplicate-target", "Repeated target format",
						"'" + upload.target().id() + "' is named twice in 'newFormat'; name each target once.");
			}
			uploads.add(upload);
		}
		return uploads;
	}

	/** Checks everything that needs no bytes. */
	ValidatedUpload validate(UploadRequest request) {
		if (request.fileName() == null) {
			throw Problems.badRequest("missing-file", "Missing file",
					"Send the file as the multipart part 'fileName' (or 'file'), or as the request body with its name in ?fileName=.");
		}
		if (request.newFormat() == null || request.newFormat().isBlank()) {
			throw Problems.badRequest("missing-format", "Missing target format",
					"Say which format you want in 'newFormat'. GET /api/formats lists them.");
		}
		Format target = Format.fromId(request.newFormat())
			.orElseThrow(() -> Problems.badRequest("unknown-format", "Unknown format", "'"
					+ Texts.abbreviate(request.newFormat(), 20)
					+ "' is not a format this service writes. GET /api/formats lists them."));
		Quality quality = quality(request.quality(), target);
		Boolean notify = notify(request.notifyOwner());
		String displayName = FileNames.displayName(request.fileName());
		Optional<Format> claimed = Format.claimedBy(displayName);
		if (claimed.isPresent() && !ConversionMatrix.supports(claimed, target)) {
			throw unsupported(claimed.get().id(), target);
		}
		return new ValidatedUpload(target, quality, displayName, claimed, storedExtension(request.fileName()),
				notify);
	}

	/** The extension the original of a file of this name is stored under. */
	static String storedExtension(String fileName) {
		String displayName = FileNames.displayName(fileName);
		return Format.claimedBy(displayName).map(Format::extension).orElse(FileNames.rawExtension(displayName));
	}

	/** The limit on a file's size; an over-limit file is refused as soon as its bytes pass it. */
	long maxSize() {
		return this.settings.maxSize().toBytes();
	}

	static RuntimeException tooLarge() {
		return Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Upload too large",
				"The file is larger than this service accepts.");
	}

	static RuntimeException empty() {
		return Problems.badRequest("empty-file", "Empty file", "The uploaded file is empty.");
	}

	/**
	 * The source format to record, from what the bytes show: empty for any other file packed into an
	 * archive. Throws a 4xx problem when the content does not fit the name or the target.
	 */
	Optional<Format> sourceOf(ValidatedUpload upload, ContentInspector.Detected seen) {
		Optional<Format> claimed = upload.claimed();
		ContentInspector.Detected detected = seen.orNamed(claimed);
		Format target = upload.target();
		if (ConversionMatrix.operation(claimed, target).orElse(Operation.MEDIA) == Operation.REPACK) {
			if (!detected.format().equals(claimed)) {
				throw Problems.unsupportedMedia("The file is named as a " + claimed.get().id()
						+ " archive, but its content is " + detected.mimeType() + ".");
			}
			return claimed;
		}
		if (target.kind() == MediaKind.ARCHIVE) {
			// any other file is packed as it is
			return claimed;
		}
		Optional<Format> found = detected.format().filter(format -> format.kind().isMedia());
		if (found.isEmpty()) {
			throw Problems.unsupportedMedia("The content is not a video, audio or image file this service reads (found "
					+ detected.mimeType() + ").");
		}
		if (claimed.isPresent()) {
			// the pair itself was checked by name already
			if (family(claimed.get()) != family(found.get())) {
				throw Problems.unsupportedMedia("The file is named as " + claimed.get().id() + " but its content is "
						+ detected.mimeType() + ".");
			}
			// pictures are told apart exactly by their bytes: a JPEG named .heic is read as the JPEG it is
			if (found.get().kind() == MediaKind.IMAGE && !detected.byName() && ConversionMatrix.supports(found, target)) {
				return found;
			}
			return claimed;
		}
		if (!ConversionMatrix.supports(found, target)) {
			throw unsupported(found.get().id(), target);
		}
		return found;
	}

	private static Quality quality(String value, Format target) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Quality quality = Quality.fromId(value)
			.orElseThrow(() -> Problems.badRequest("unknown-quality", "Unknown quality",
					"'quality' must be high, medium or low."));
		if (!ConversionMatrix.acceptsQuality(target)) {
			throw Problems.badRequest("quality-not-applicable", "Quality does not apply",
					"'quality' applies to video, audio and image targets, not to archives.");
		}
		return quality;
	}

	/** As Spring converted the parameter before: true/on/yes/1 or false/off/no/0. */
	private static Boolean notify(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return switch (value.strip().toLowerCase(Locale.ROOT)) {
			case "true", "on", "yes", "1" -> true;
			case "false", "off", "no", "0" -> false;
			default -> throw Problems.badRequest("invalid-notify", "Invalid notify", "'notify' is true or false.");
		};
	}

	private static MediaKind family(Format format) {
		return format.kind() == MediaKind.AUDIO ? MediaKind.VIDEO : format.kind();
	}

	static RuntimeException unsupported(String source, Format target) {
		return Problems.badRequest("unsupported-conversion", "Unsupported conversion",
				"Cannot convert " + source + " to " + target.id() + ". GET /api/formats lists what is possible.");
	}

}
