package com.cct.format;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one place that knows which conversions exist and what kind each is. Video turns into video
 * or audio (the track is extracted), audio into audio, images into images; any file can be packed
 * into an archive, and an archive repacked into another kind. Same-format media conversions are
 * allowed: they are how a user compresses a file ({@code quality=low}).
 */
public final class ConversionMatrix {

	/** What the worker does for a pair. */
	public enum Operation {

		/** ffmpeg reads the source and writes the target. */
		MEDIA,
		/** The upload, whatever it is, becomes the single entry of a new archive. */
		PACK,
		/** An uploaded archive is unpacked and its entries written into another archive kind. */
		REPACK

	}

	private ConversionMatrix() {
	}

	/**
	 * The targets for a source; {@code source} is empty for a file that is no known format (it can
	 * still be archived).
	 */
	public static List<Format> targetsFor(Optional<Format> source) {
		return Arrays.stream(Format.values()).filter(target -> supports(source, target)).toList();
	}

	public static boolean supports(Optional<Format> source, Format target) {
		return operation(source, target).isPresent();
	}

	/** How a source (empty: any file) becomes the target, or empty when it cannot. */
	public static Optional<Operation> operation(Optional<Format> source, Format target) {
		if (!target.writable()) {
			return Optional.empty();
		}
		if (target.kind() == MediaKind.ARCHIVE) {
			boolean archive = source.map(format -> format.kind() == MediaKind.ARCHIVE).orElse(false);
			return Optional.of(archive ? Operation.REPACK : Operation.PACK);
		}
		if (source.isEmpty()) {
			return Optional.empty();
		}
		MediaKind from = source.get().kind();
		MediaKind to = target.kind();
		boolean possible = switch (from) {
			case VIDEO -> to == MediaKind.VIDEO || to == MediaKind.AUDIO;
			case AUDIO -> to == MediaKind.AUDIO;
			case IMAGE -> to == MediaKind.IMAGE;
			case ARCHIVE -> false;
		};
		return possible ? Optional.of(Operation.MEDIA) : Optional.empty();
	}

	/** Quality levels steer encoders, so they apply to media targets only. */
	public static boolean acceptsQuality(Format target) {
		return target.kind().isMedia();
	}

}
