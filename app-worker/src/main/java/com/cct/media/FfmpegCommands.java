package com.cct.media;

import java.nio.file.Path;

import com.cct.format.Format;
import com.cct.format.Quality;

import net.bramp.ffmpeg.builder.FFmpegBuilder;
import net.bramp.ffmpeg.builder.FFmpegOutputBuilder;

/**
 * The one place that builds ffmpeg commands. Every command reads a local file (its name without an
 * extension, so only its content picks the demuxer) through the allowed demuxers
 * ({@code -format_whitelist}: nothing that opens further files or URLs, such as playlists or concat
 * lists) and decoders ({@code -codec_whitelist}), with {@code -protocol_whitelist file},
 * {@code -nostdin} and {@code -max_pixels} (decoders refuse frames larger than the limit, even when a
 * stream grows after a small first frame), bounded threads, and writes one output with the target
 * format's own muxer ({@link Format#muxer()}) and fixed codecs. Quality maps to CRF / quality scale
 * / bitrate; {@code low} also scales video down to at most 480 lines. ffmpeg reports its progress on
 * standard output ({@code -progress pipe:1}) and its log with levels ({@link FfmpegLog}), which also
 * describes the input, so no ffprobe runs first.
 */
final class FfmpegCommands {

	/** Demuxers for every format we read; nothing here follows references to other files. */
	static final String DEMUXERS = String.join(",", Format.allDemuxers());

	private FfmpegCommands() {
	}

	static FFmpegBuilder convert(Path input, Format target, Quality quality, Path output, int threads,
			long maxPixels) {
		Quality q = quality == null ? Quality.MEDIUM : quality;
		FFmpegBuilder builder = new FFmpegBuilder().setVerbosity(FFmpegBuilder.Verbosity.INFO)
			.overrideOutputFiles(true)
			.addExtraArgs("-hide_banner", "-loglevel", "level+info", "-nostdin", "-nostats", "-progress", "pipe:1",
					"-protocol_whitelist", "file", "-format_whitelist", DEMUXERS, "-codec_whitelist", Decoders.ALLOWED,
					"-max_pixels", Long.toString(maxPixels))
			.setInput(input.toString());
		FFmpegOutputBuilder out = builder.addOutput(output.toString())
			.setFormat(target.muxer().orElseThrow(() -> new IllegalArgumentException("archives are not ffmpeg's job")))
			.disableSubtitle()
			.addExtraArgs("-dn", "-threads", Integer.toString(threads), "-map_metadata", "-1");
		switch (target.kind()) {
			case VIDEO -> video(out, target, q);
			case AUDIO -> audio(out.disableVideo().addExtraArgs("-map", "0:a:0"), target, q);
			case IMAGE -> image(out.disableAudio(), target, q);
			case ARCHIVE -> throw new IllegalArgumentException("archives are not ffmpeg's job");
		}
		return builder;
	}

	private static void video(FFmpegOutputBuilder out, Format target, Quality q) {
		out.addExtraArgs("-map", "0:v:0", "-map", "0:a:0?");
		// even dimensions for 4:2:0 codecs; low also shrinks to at most 480 lines
		String scale = q == Quality.LOW ? "scale=-2:'min(480,trunc(ih/2)*2)'" : "scale=trunc(iw/2)*2:trunc(ih/2)*2";
		out.setVideoFilter(scale);
		switch (target) {
			case MP4, MOV, MKV, TS, FLV, THREE_GP -> {
				out.setVideoCodec("libx264")
					.setVideoPixelFormat("yuv420p")
					.addExtraArgs("-preset", "veryfast", "-crf", pick(q, "20", "24", "30"))
					.setAudioCodec("aac")
					.setAudioBitRate(audioBitrate(q));
				if (target == Format.MP4 || target == Format.MOV || target == Format.THREE_GP) {
					out.addExtraArgs("-movflags", "+faststart");
				}
			}
			case WEBM -> out.setVideoCodec("libvpx-vp9")
				.setVideoPixelFormat("yuv420p")
				.addExtraArgs("-b:v", "0", "-crf", pick(q, "31", "36", "45"), "-deadline", "realtime", "-cpu-used",
						"8", "-row-mt", "1")
				.setAudioCodec("libopus")
				.setAudioBitRate(opusBitrate(q));
			case OGV -> out.setVideoCodec("libtheora")
				.addExtraArgs("-q:v", pick(q, "8", "6", "3"))
				.setAudioCodec("libvorbis")
				.addExtraArgs("-q:a", pick(q, "6", "4", "1"));
			case AVI -> out.setVideoCodec("mpeg4")
				.addExtraArgs("-q:v", pick(q, "3", "5", "10"))
				.setAudioCodec("libmp3lame")
				.setAudioBitRate(audioBitrate(q));
			case MPEG -> out.setVideoCodec("mpeg2video")
				.addExtraArgs("-q:v", pick(q, "3", "5", "10"))
				.setAudioCodec("mp2")
				.setAudioSampleRate(48000)
				.setAudioBitRate(audioBitrate(q));
			case WMV -> out.setVideoCodec("wmv2")
				.addExtraArgs("-q:v", pick(q, "3", "5", "10"))
				.setAudioCodec("wmav2")
				.setAudioBitRate(audioBitrate(q));
			default -> throw new IllegalArgumentException("not a video format: " + target);
		}
	}

	private static void audio(FFmpegOutputBuilder out, Format target, Quality q) {
		switch (target) {
			case MP3 -> out.setAudioCodec("libmp3lame").setAudioBitRate(audioBitrate(q));
			case AAC, M4A, M4B -> out.setAudioCodec("aac").setAudioBitRate(audioBitrate(q));
			case OGG -> out.setAudioCodec("libvorbis").addExtraArgs("-q:a", pick(q, "6", "4", "1"));
			case OPUS -> out.setAudioCodec("libopus").setAudioBitRate(opusBitrate(q));
			case WMA -> out.setAudioCodec("wmav2").setAudioBitRate(audioBitrate(q));
			case FLAC -> out.setAudioCodec("flac");
			case CAF -> out.setAudioCodec("alac");
			case AIFF, AU -> out.setAudioCodec("pcm_s16be");
			case AC3 -> out.setAudioCodec("ac3").setAudioBitRate(audioBitrate(q));
			case WAV -> {
				out.setAudioCodec("pcm_s16le");
				if (q == Quality.LOW) {
					out.setAudioChannels(1).setAudioSampleRate(22050);
				}
			}
			default -> throw new IllegalArgumentException("not an audio format: " + target);
		}
	}

	private static void image(FFmpegOutputBuilder out, Format target, Quality q) {
		out.addExtraArgs("-map", "0:v:0", "-frames:v", "1");
		if (q == Quality.LOW) {
			out.setVideoFilter("scale=trunc(iw/4)*2:-2");
		}
		switch (target) {
			case JPG -> out.setVideoCodec("mjpeg")
				.setVideoPixelFormat("yuvj420p")
				.addExtraArgs("-q:v", pick(q, "2", "5", "12"), "-update", "1");
			case PNG -> out.setVideoCodec("png").addExtraArgs("-update", "1");
			case WEBP -> out.setVideoCodec("libwebp").addExtraArgs("-quality", pick(q, "90", "75", "40"));
			case GIF -> out.setVideoCodec("gif");
			case BMP -> out.setVideoCodec("bmp").addExtraArgs("-update", "1");
			case TIFF -> out.setVideoCodec("tiff").addExtraArgs("-update", "1");
			case AVIF -> out.setVideoCodec("libaom-av1")
				.setVideoPixelFormat("yuv420p")
				.addExtraArgs("-still-picture", "1", "-cpu-used", "8", "-row-mt", "1", "-crf", pick(q, "24", "32", "45"));
			default -> throw new IllegalArgumentException("not an image format: " + target);
		}
	}

	private static long audioBitrate(Quality q) {
		return Long.parseLong(pick(q, "192000", "128000", "64000"));
	}

	private static long opusBitrate(Quality q) {
		return Long.parseLong(pick(q, "128000", "96000", "48000"));
	}

	private static String pick(Quality q, String high, String medium, String low) {
		return switch (q) {
			case HIGH -> high;
			case MEDIUM -> medium;
			case LOW -> low;
		};
	}

}
