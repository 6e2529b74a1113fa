package com.cct.task;

import java.util.Optional;

import com.cct.format.ConversionMatrix;
import com.cct.format.Format;
import com.cct.format.MediaKind;
import com.cct.web.Problems;

/**
 * Decides whether an upload is accepted, from the format its name claims, the format its bytes show
 * and the target. Audio and video count as one family: containers such as mp4 hold either.
 */
final class UploadPolicy {

	private UploadPolicy() {
	}

	/** Checks that need no bytes: is the pair possible at all, judged by the name? */
	static void checkPair(Optional<Format> claimed, Format target) {
		if (claimed.isPresent() && !ConversionMatrix.supports(claimed, target)) {
			throw unsupported(claimed.get().id(), target);
		}
	}

	/** The original format to record; throws a 4xx problem when the content does not fit. */
	static String sourceFormat(Optional<Format> claimed, ContentInspector.Detected detected, Format target,
			String rawExtension) {
		if (target.kind() == MediaKind.ARCHIVE) {
			if (claimed.isPresent() && claimed.get().kind() == MediaKind.ARCHIVE) {
				if (!detected.format().equals(claimed)) {
					throw Problems.unsupportedMedia("The file is named as a " + claimed.get().id()
							+ " archive, but its content is " + detected.mimeType() + ".");
				}
				return claimed.get().id();
			}
			// any other file is packed as it is
			return claimed.map(Format::id).orElse(rawExtension);
		}
		Optional<Format> found = detected.format().filter(format -> format.kind().isMedia());
		if (found.isEmpty()) {
			throw Problems.unsupportedMedia("The content is not a video, audio or image file this service reads (found "
					+ detected.mimeType() + ").");
		}
		if (claimed.isPresent() && family(claimed.get()) != family(found.get())) {
			throw Problems.unsupportedMedia("The file is named as " + claimed.get().id() + " but its content is "
					+ detected.mimeType() + ".");
		}
		Format source = claimed.orElse(found.get());
		if (!ConversionMatrix.supports(Optional.of(source), target)) {
			throw unsupported(source.id(), target);
		}
		return source.id();
	}

	private static MediaKind family(Format format) {
		return format.kind() == MediaKind.AUDIO ? MediaKind.VIDEO : format.kind();
	}

	private static RuntimeException unsupported(String source, Format target) {
		return Problems.badRequest("unsupported-conversion", "Unsupported conversion",
				"Cannot convert " + source + " to " + target.id() + ". GET /api/formats lists what is possible.");
	}

}
