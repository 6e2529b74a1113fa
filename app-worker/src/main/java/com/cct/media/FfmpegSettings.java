package com.cct.media;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param path the ffmpeg binary ({@code CCT_FFMPEG_PATH})
 * @param threads encoder threads per conversion; 0 shares the cores among the worker's threads
 * @param maxDimension the largest width or height accepted: 16383 (WebP's own limit) by default, so phone
 * panoramas (16000x3000) and 48-50 MP photos pass; the pixel limit still bounds the area
 * @param maxPixels the largest frame area accepted (guards against decompression bombs)
 * @param maxDuration the longest input accepted
 * @param deadlinePerMediaSecond how long a conversion may take per second of input, on top of
 * {@code deadlineBase}
 * @param deadlineBase the fixed part of every media deadline
 * @param maxOutputRatio a result may be this many times its input, or {@code outputRatioFloor},
 * whichever is larger: honest conversions stay far below (mp3 to wav is about 11x, a tiny
 * lossless image to bmp a few hundred times), a few kilobytes of declared silence or of a blank
 * giant picture do not
 * @param outputRatioFloor see {@code maxOutputRatio}
 */
@ConfigurationProperties("cct.ffmpeg")
record FfmpegSettings(@DefaultValue("ffmpeg") String path, @DefaultValue("0") int threads, @DefaultValue("16383") int maxDimension,
		@DefaultValue("50000000") long maxPixels, @DefaultValue("6h") Duration maxDuration,
		@DefaultValue("10s") Duration deadlinePerMediaSecond, @DefaultValue("2m") Duration deadlineBase,
		@DefaultValue("1000") long maxOutputRatio, @DefaultValue("256MB") DataSize outputRatioFloor) {

	/** The largest result an input of this size may give. */
	long outputLimitFor(long inputBytes) {
		long relative = inputBytes > Long.MAX_VALUE / this.maxOutputRatio ? Long.MAX_VALUE
				: inputBytes * this.maxOutputRatio;
		return Math.max(relative, this.outputRatioFloor.toBytes());
	}
}
