package com.cct.media;

import java.util.regex.Pattern;

/**
 * The decoders ffmpeg may use ({@code -codec_whitelist}): the codecs of the formats we
 * read and of what real files put in them (phone and camera video, web video, old AVI/WMV/RealMedia
 * rips, lossless and PCM audio, subtitles probed alongside), not the hundreds of rarely used ones
 * whose parsers an upload could otherwise reach. A file in another codec fails with a reason.
 */
final class Decoders {

	static final String ALLOWED = String.join(",",
			// video
			"h264", "hevc", "vp8", "vp9", "libvpx", "libvpx-vp9", "av1", "libdav1d", "libaom-av1", "mpeg4", "msmpeg4v1",
			"msmpeg4v2", "msmpeg4", "mpeg1video", "mpeg2video", "mpegvideo", "h263", "h263p", "h261", "flv", "wmv1",
			"wmv2", "wmv3", "wmv3image", "vc1", "vc1image", "theora", "mjpeg", "mjpegb", "prores", "dnxhd", "rawvideo",
			"svq1", "svq3", "qtrle", "dvvideo", "cinepak", "huffyuv", "ffvhuff", "ffv1", "utvideo", "vp6", "vp6f", "vp6a",
			"rv10", "rv20", "rv30", "rv40", "indeo3", "indeo5",
			// audio
			"aac", "aac_fixed", "aac_latm", "mp3float", "mp3", "mp2float", "mp2", "mp1float", "mp1", "mp3adufloat", "ac3",
			"ac3_fixed", "eac3", "dca", "truehd", "mlp", "flac", "alac", "vorbis", "libvorbis", "opus", "libopus", "wmav1",
			"wmav2", "wmapro", "wmalossless", "wmavoice", "amrnb", "amrwb", "qdm2", "qdmc", "cook", "atrac3",
			"atrac3plus", "sipr", "nellymoser", "speex", "libspeex", "gsm", "gsm_ms", "ape", "tta", "wavpack", "mace3",
			"mace6", "adpcm_ima_wav", "adpcm_ima_qt", "adpcm_ms", "adpcm_swf", "adpcm_yamaha", "g723_1", "g729",
			"pcm_alaw", "pcm_mulaw", "pcm_s8", "pcm_u8", "pcm_s16le", "pcm_s16be", "pcm_u16le", "pcm_u16be", "pcm_s24le",
			"pcm_s24be", "pcm_s32le", "pcm_s32be", "pcm_f32le", "pcm_f32be", "pcm_f64le", "pcm_f64be", "pcm_s16le_planar",
			"pcm_s24daud", "pcm_dvd", "pcm_bluray", "pcm_lxf",
			// images
			"png", "apng", "webp", "gif", "bmp", "tiff", "jpeg2000", "jpegls", "pgm", "ppm", "pbm", "pam", "targa",
			// subtitles, opened while probing
			"mov_text", "subrip", "srt", "ass", "ssa", "webvtt", "dvdsub", "pgssub", "dvbsub", "text");

	/** What ffmpeg says when a stream's codec is not among them (not the demuxer's list: "Format not on..."). */
	private static final Pattern REFUSED = Pattern.compile("Codec \\([^)]*\\) not on whitelist");

	private Decoders() {
	}

	/** Whether ffmpeg's error output says a decoder was refused. */
	static boolean refusedIn(String errors) {
		return REFUSED.matcher(errors).find();
	}

}
