package com.cct.format;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one place that knows which conversions exist. Video turns into video or audio (the track is
 * extracted), audio into audio, images into images; any file can be packed into an archive, and an
 * archive repacked into another kind. Same-format media conversions are allowed: they are how a
 * user compresses a file ({@code quality=low}).
 */
public final class ConversionMatrix {

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
		if (target.kind() == MediaKind.ARCHIVE) {
			return true;
		}
		if (source.isEmpty()) {
			return false;
		}
		MediaKind from = source.get().kind();
		MediaKind to = target.kind();
		return switch (from) {
			case VIDEO -> to == MediaKind.VIDEO || to == MediaKind.AUDIO;
			case AUDIO -> to == MediaKind.AUDIO;
			case IMAGE -> to == MediaKind.IMAGE;
			case ARCHIVE -> false;
		};
	}

	/** Quality levels steer encoders, so they apply to media targets only. */
	public static boolean acceptsQuality(Format target) {
		return target.kind().isMedia();
	}

}
