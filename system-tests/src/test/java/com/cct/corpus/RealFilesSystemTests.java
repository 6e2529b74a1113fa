package com.cct.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.OnSharedStack;
import com.cct.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Real files this project did not make with ffmpeg: the output of other encoders and archivers
 * installed from Debian ({@code make test} installs them, see scripts/ensure-services.sh), made at
 * test time with the options real files come with, and media that Debian packages ship. The list is
 * {@link #corpus()}. Every valid file of a supported kind converts and comes back as a valid file of
 * the target (read back with ffprobe or bsdtar, by content, and carrying none of the source's
 * tags); a damaged or unsupported one is refused with a 4xx problem or fails with a reason a person
 * understands; nothing answers 5xx or stays unfinished, and the worker carries on. An entry whose
 * tool is not installed is skipped, saying which tool.
 */
class RealFilesSystemTests extends OnSharedStack {

	/** What must become of a file. */
	enum Outcome {

		/** Processed, and the result reads back as the target format. */
		CONVERTS,
		/** Refused at upload with a 4xx problem. */
		REFUSED,
		/** Accepted, then failed with a reason. */
		FAILS,
		/** Either: a damaged file may be caught by the upload's content check or by the worker. */
		REFUSED_OR_FAILS

	}

	/**
	 * One corpus entry: the tool that makes it, its file name, the bash lines that write it as
	 * {@code $OUT} (with {@code tone} and {@code picture} at hand, see {@link #PRELUDE}), the target,
	 * what must happen, and for an archive result the entries it must hold (for a failure, a word of
	 * the reason).
	 */
	record Sample(String title, String tool, String fileName, String script, String target, Outcome outcome,
			List<String> expected) {

		@Override
		public String toString() {
			return this.title + " -> " + this.target;
		}

	}

	/**
	 * Helpers for the scripts: a stereo tone by sox, a 640x480 picture by ImageMagick, a second of
	 * H.264 by the x264 command line encoder (raw .264, .mkv or .flv by the name).
	 */
	private static final String PRELUDE = """
			set -euo pipefail
			tone() { sox -n -r 44100 -c 2 -b 16 "$1" synth 2 sine 440 sine 660 fade 0 2 0.1; }
			picture() { "$IM" -size 640x480 plasma:orange-navy -seed 3 -fill white -draw 'rectangle 0,0 640,60' "$1"; }
			clip() {
			  # ImageMagick 6 writes raw YUV 4:2:0 whole but exits 1 doing so
			  "$IM" -size 320x240 plasma:red-blue -seed 2 f.png; "$IM" f.png -sampling-factor 4:2:0 -depth 8 yuv:f.yuv || [ -s f.yuv ]
			  for i in $(seq 1 25); do cat f.yuv; done > frames.yuv
			  x264 --quiet --input-res 320x240 --fps 25 -o "$1" frames.yuv 2> /dev/null
			}
			""";

	static Api.User user;

	@BeforeAll
	static void prepare() {
		user = api.newUser();
	}

	static Stream<Sample> corpus() {
		List<Sample> all = new ArrayList<>();
		// --- audio by lame, flac, oggenc and sox
		all.add(ok("lame CBR with ID3v2 tags and cover art", "lame", "tagged.mp3",
				"tone t.wav; picture c.png; \"$IM\" c.png -resize 300x300 cover.jpg; "
						+ "lame --quiet -b 128 --tt 'Título ü' --ta Artist --tl Album --ty 2021 --ti cover.jpg t.wav \"$OUT\"",
				"ogg"));
		all.add(ok("lame CBR with ID3v2 tags and cover art", "lame", "tagged.mp3",
				"tone t.wav; picture c.png; \"$IM\" c.png -resize 300x300 cover.jpg; "
						+ "lame --quiet -b 192 --tt Title --ta Artist --ti cover.jpg t.wav \"$OUT\"",
				"m4a"));
		all.add(ok("lame VBR mono resampled to 22 kHz", "lame", "vbr-mono.mp3",
				"tone t.wav; lame --quiet -V 2 -m m --resample 22.05 t.wav \"$OUT\"", "flac"));
		all.add(ok("lame ID3v1 only, 8 kHz", "lame", "old.mp3",
				"tone t.wav; lame --quiet --id3v1-only --tt Old --resample 8 -b 32 t.wav \"$OUT\"", "wav"));
		all.add(ok("flac -8 with Vorbis comments", "flac", "plain.flac",
				"tone t.wav; flac --silent -8 -T ARTIST=Someone -T TITLE=Song -o \"$OUT\" t.wav", "mp3"));
		all.add(ok("flac with an embedded picture", "flac", "picture.flac",
				"tone t.wav; picture c.png; \"$IM\" c.png cover.jpg; flac --silent --picture=cover.jpg -o \"$OUT\" t.wav",
				"opus"));
		all.add(ok("flac 24-bit mono 96 kHz", "flac", "hires.flac",
				"sox -n -r 96000 -c 1 -b 24 t.wav synth 1 sine 1000; flac --silent -o \"$OUT\" t.wav", "aiff"));
		all.add(ok("oggenc Vorbis with comments", "oggenc", "song.ogg",
				"tone t.wav; oggenc -Q -q 3 -t Title -a Artist -o \"$OUT\" t.wav", "mp3"));
		all.add(ok("oggenc Vorbis named .oga", "oggenc", "song.oga", "tone t.wav; oggenc -Q -q 1 -o \"$OUT\" t.wav",
				"aac"));
		all.add(ok("sox WAV 8-bit unsigned", "sox", "u8.wav", "tone t.wav; sox t.wav -b 8 -e unsigned \"$OUT\"", "mp3"));
		all.add(ok("sox WAV 24-bit", "sox", "s24.wav", "tone t.wav; sox t.wav -b 24 \"$OUT\"", "flac"));
		all.add(ok("sox WAV 32-bit float (extensible)", "sox", "f32.wav",
				"tone t.wav; sox t.wav -e floating-point -b 32 \"$OUT\"", "ogg"));
		all.add(ok("sox WAV mono 11 kHz", "sox", "mono.wav", "tone t.wav; sox t.wav -c 1 -r 11025 \"$OUT\"", "m4a"));
		all.add(ok("sox WAV A-law", "sox", "alaw.wav", "tone t.wav; sox t.wav -e a-law \"$OUT\"", "mp3"));
		all.add(ok("sox WAV IMA ADPCM", "sox", "ima.wav", "tone t.wav; sox t.wav -e ima-adpcm \"$OUT\"", "wav"));
		all.add(ok("sox WAV MS ADPCM", "sox", "msadpcm.wav", "tone t.wav; sox t.wav -e ms-adpcm \"$OUT\"", "ac3"));
		all.add(ok("sox AIFF 16-bit", "sox", "s16.aiff", "tone t.wav; sox t.wav \"$OUT\"", "mp3"));
		all.add(ok("sox AIFF 24-bit named .aif", "sox", "s24.aif", "tone t.wav; sox t.wav -b 24 \"$OUT\"", "wav"));
		all.add(ok("sox AIFF-C", "sox", "c.aifc", "tone t.wav; sox t.wav \"$OUT\"", "flac"));
		all.add(ok("sox Sun AU 16-bit", "sox", "sun.au", "tone t.wav; sox t.wav \"$OUT\"", "mp3"));
		all.add(ok("sox AMR-NB (phone voice memo)", "sox", "memo.amr",
				"sox -n -r 8000 -c 1 -t amr-nb \"$OUT\" synth 2 sine 440", "mp3"));
		all.add(ok("lame MP3 into an m4b audiobook", "lame", "chapter.mp3", "tone t.wav; lame --quiet t.wav \"$OUT\"",
				"m4b"));
		all.add(ok("sox CAF (Core Audio)", "sox", "loop.caf", "tone t.wav; sox t.wav \"$OUT\"", "mp3"));
		all.add(ok("lame MP3 into CAF (ALAC)", "lame", "song.mp3", "tone t.wav; lame --quiet t.wav \"$OUT\"", "caf"));
		all.add(ok("sox WAV named .wave", "sox", "take.wave", "tone t.wav; sox t.wav -t wav \"$OUT\"", "opus"));
		all.add(ok("sox Sun AU mu-law", "sox", "ulaw.au", "tone t.wav; sox t.wav -e u-law \"$OUT\"", "wav"));
		// --- pictures by ImageMagick, libheif and libwebp
		all.add(ok("ImageMagick progressive JPEG", "imagemagick", "progressive.jpg",
				"picture p.png; \"$IM\" p.png -interlace Plane \"$OUT\"", "png"));
		all.add(ok("ImageMagick CMYK JPEG", "imagemagick", "cmyk.jpg",
				"picture p.png; \"$IM\" p.png -colorspace CMYK \"$OUT\"", "webp"));
		all.add(ok("ImageMagick greyscale JPEG", "imagemagick", "grey.jpg",
				"picture p.png; \"$IM\" p.png -colorspace Gray \"$OUT\"", "avif"));
		all.add(ok("ImageMagick JPEG 4:4:4", "imagemagick", "full-chroma.jpg",
				"picture p.png; \"$IM\" p.png -sampling-factor 4:4:4 -quality 95 \"$OUT\"", "gif"));
		all.add(ok("ImageMagick JPEG named .jpeg", "imagemagick", "photo.jpeg",
				"picture p.png; \"$IM\" p.png \"$OUT\"", "png"));
		all.add(ok("ImageMagick JPEG named .jpe", "imagemagick", "photo.jpe", "picture p.png; \"$IM\" p.png jpg:\"$OUT\"",
				"webp"));
		all.add(ok("ImageMagick JPEG named .jfif (as browsers save them)", "imagemagick", "download.jfif",
				"picture p.png; \"$IM\" p.png jpg:\"$OUT\"", "png"));
		all.add(ok("ImageMagick JPEG to JPEG", "imagemagick", "again.jpg", "picture p.png; \"$IM\" p.png \"$OUT\"",
				"jpg"));
		all.add(ok("ImageMagick PNG 16-bit", "imagemagick", "deep.png",
				"picture p.png; \"$IM\" p.png -depth 16 png48:\"$OUT\"", "jpg"));
		all.add(ok("ImageMagick PNG palette", "imagemagick", "palette.png", "picture p.png; \"$IM\" p.png png8:\"$OUT\"",
				"webp"));
		all.add(ok("ImageMagick PNG with alpha", "imagemagick", "alpha.png",
				"picture p.png; \"$IM\" p.png -alpha set -channel A -evaluate set 50% png32:\"$OUT\"", "webp"));
		all.add(ok("ImageMagick PNG interlaced", "imagemagick", "interlaced.png",
				"picture p.png; \"$IM\" p.png -interlace PNG \"$OUT\"", "bmp"));
		all.add(ok("ImageMagick PNG grey 16-bit", "imagemagick", "grey16.png",
				"picture p.png; \"$IM\" p.png -colorspace Gray -depth 16 \"$OUT\"", "jpg"));
		all.add(ok("ImageMagick TIFF LZW", "imagemagick", "lzw.tiff",
				"picture p.png; \"$IM\" p.png -compress lzw \"$OUT\"", "png"));
		all.add(ok("ImageMagick TIFF deflate named .tif", "imagemagick", "deflate.tif",
				"picture p.png; \"$IM\" p.png -compress zip \"$OUT\"", "jpg"));
		all.add(ok("ImageMagick TIFF CMYK 8-bit", "imagemagick", "cmyk.tiff",
				"picture p.png; \"$IM\" p.png -alpha off -depth 8 -colorspace CMYK \"$OUT\"", "png"));
		all.add(fails("ImageMagick TIFF CMYK 16-bit with alpha (ffmpeg reads no such pixels)", "imagemagick",
				"cmyk-alpha.tiff", "picture p.png; \"$IM\" p.png -alpha set -depth 16 -colorspace CMYK \"$OUT\"", "png",
				"variant"));
		all.add(ok("ImageMagick TIFF of two pages", "imagemagick", "pages.tiff",
				"picture p.png; \"$IM\" p.png p.png \"$OUT\"", "jpg"));
		all.add(ok("ImageMagick TIFF JPEG-compressed", "imagemagick", "jpeg.tiff",
				"picture p.png; \"$IM\" p.png -compress jpeg \"$OUT\"", "webp"));
		all.add(ok("ImageMagick TIFF 16-bit", "imagemagick", "deep.tiff",
				"picture p.png; \"$IM\" p.png -depth 16 \"$OUT\"", "avif"));
		all.add(ok("ImageMagick animated GIF", "imagemagick", "animated.gif",
				"picture p.png; \"$IM\" -delay 10 -loop 0 p.png \\( p.png -negate \\) -resize 320x240 \"$OUT\"", "webp"));
		all.add(ok("ImageMagick animated GIF to PNG", "imagemagick", "animated2.gif",
				"picture p.png; \"$IM\" -delay 10 -loop 0 p.png \\( p.png -flip \\) -resize 200x150 \"$OUT\"", "png"));
		all.add(ok("ImageMagick BMP v3", "imagemagick", "v3.bmp", "picture p.png; \"$IM\" p.png bmp3:\"$OUT\"", "png"));
		all.add(ok("ImageMagick BMP 32-bit with alpha", "imagemagick", "alpha.bmp",
				"picture p.png; \"$IM\" p.png -alpha set -channel A -evaluate set 80% bmp:\"$OUT\"", "webp"));
		all.add(ok("ImageMagick BMP 8-bit palette", "imagemagick", "palette.bmp",
				"picture p.png; \"$IM\" p.png -type palette bmp3:\"$OUT\"", "jpg"));
		all.add(ok("heif-enc HEIC", "heif-enc", "photo.heic", "picture p.png; heif-enc -q 50 -o \"$OUT\" p.png", "jpg"));
		all.add(ok("ImageMagick JPEG named .heic", "imagemagick", "not-really.heic",
				"picture p.png; \"$IM\" p.png jpg:\"$OUT\"", "png"));
		all.add(ok("heif-enc HEIC named .jpg", "heif-enc", "really-heic.jpg",
				"picture p.png; heif-enc -q 50 -o h.heic p.png; mv h.heic \"$OUT\"", "webp"));
		all.add(ok("heif-enc HEIC named .heif", "heif-enc", "photo.heif",
				"picture p.png; heif-enc -q 40 -o \"$OUT\" p.png", "png"));
		all.add(ok("heif-enc AVIF", "heif-enc", "libheif.avif",
				"picture p.png; \"$IM\" p.png p.jpg; heif-enc --avif -q 50 -o \"$OUT\" p.jpg", "png"));
		all.add(ok("cwebp lossy", "cwebp", "lossy.webp", "picture p.png; cwebp -quiet -q 80 p.png -o \"$OUT\"", "png"));
		all.add(ok("cwebp lossless", "cwebp", "lossless.webp", "picture p.png; cwebp -quiet -lossless p.png -o \"$OUT\"",
				"jpg"));
		all.add(ok("cwebp with alpha", "cwebp", "alpha.webp",
				"picture p.png; \"$IM\" p.png -alpha set -channel A -evaluate set 50% png32:a.png; "
						+ "cwebp -quiet a.png -o \"$OUT\"",
				"png"));
		all.add(ok("img2webp animated WebP", "img2webp", "animated.webp",
				"picture p.png; \"$IM\" p.png -negate n.png; img2webp -q 60 p.png n.png -o \"$OUT\" > /dev/null", "gif"));
		// --- video by the x264 encoder and mkvtoolnix
		all.add(ok("x264 Matroska", "x264", "x264.mkv", "clip \"$OUT\"", "mp4"));
		all.add(ok("x264 FLV", "x264", "x264.flv", "clip \"$OUT\"", "webm"));
		all.add(ok("mkvmerge of x264 video and a sox WAV", "mkvmerge", "merged.mkv",
				"clip v.264; tone t.wav; mkvmerge -q -o \"$OUT\" v.264 t.wav", "mp4"));
		all.add(ok("mkvmerge Matroska, sound only taken", "mkvmerge", "talk.mkv",
				"clip v.264; tone t.wav; mkvmerge -q -o \"$OUT\" v.264 t.wav", "mp3"));
		all.add(bad("truncated Matroska (first 2 KB)", "mkvmerge", "cut.mkv",
				"clip v.264; mkvmerge -q -o m.mkv v.264; head -c 2048 m.mkv > \"$OUT\"", "mp4"));
		// --- archives by Info-ZIP, 7-Zip, GNU tar and bsdtar
		String tree = "mkdir -p in/docs/empty; printf 'hello\\n' > in/readme.txt; head -c 50000 /dev/urandom > in/docs/data.bin; ";
		all.add(archive("zip streamed to a pipe (data descriptors)", "zip", "streamed.zip",
				tree + "(cd in && zip -q -r - . > \"$OUT\")", "tar.gz", "readme.txt", "docs/data.bin", "docs/empty/"));
		all.add(archive("zip of one file from standard input", "zip", "stdin.zip",
				"printf 'piped\\n' | zip -q > \"$OUT\"", "7z", "-"));
		all.add(archive("zip -0 (stored)", "zip", "stored.zip", tree + "(cd in && zip -q -0 -r \"$OUT\" .)", "7z",
				"readme.txt", "docs/data.bin"));
		all.add(archive("zip -9 with an empty folder", "zip", "folders.zip", tree + "(cd in && zip -q -9 -r \"$OUT\" .)",
				"tar.xz", "readme.txt", "docs/empty/"));
		all.add(archive("zip bzip2 method", "zip", "bzip2.zip", tree + "(cd in && zip -q -Z bzip2 -r \"$OUT\" .)",
				"zip", "readme.txt", "docs/data.bin"));
		all.add(archive("zip of CP437 names (DOS)", "zip", "dos.zip",
				"mkdir in; printf 'caf\\n' > in/$'caf\\x82.txt'; (cd in && LC_ALL=C zip -q -r \"$OUT\" .)", "zip",
				"café.txt"));
		all.add(archive("zip of Latin-1 names", "zip", "latin1.zip",
				"mkdir in; printf 'x\\n' > in/$'na\\xefve.txt'; (cd in && LC_ALL=C zip -q -r \"$OUT\" .)", "tar.gz",
				"na\u2229ve.txt"));
		all.add(archive("zip of UTF-8 names", "zip", "utf8.zip",
				"mkdir in; printf 'x\\n' > in/'résumé 音楽.txt'; (cd in && LC_ALL=C.UTF-8 zip -q -r \"$OUT\" .)", "7z",
				"résumé 音楽.txt"));
		all.add(fails("zip holding a symbolic link (zip -y)", "zip", "link.zip",
				"mkdir in; printf 'x\\n' > in/a.txt; ln -s /etc/passwd in/p; (cd in && zip -q -y -r \"$OUT\" .)", "tar.gz",
				"symbolic link"));
		all.add(archive("bsdtar zip (streaming, data descriptors)", "bsdtar", "bsd.zip",
				tree + "bsdtar -C in --format zip -cf \"$OUT\" .", "tar.bz2", "readme.txt", "docs/data.bin"));
		all.add(archive("bsdtar pax tar.gz", "bsdtar", "pax.tar.gz", tree + "bsdtar -C in --format pax -czf \"$OUT\" .",
				"zip", "readme.txt", "docs/data.bin", "docs/empty/"));
		all.add(archive("bsdtar ustar tar.xz", "bsdtar", "ustar.tar.xz",
				tree + "bsdtar -C in --format ustar -cJf \"$OUT\" .", "zip", "readme.txt"));
		all.add(archive("7z LZMA2 solid", "7z", "solid.7z", tree + "(cd in && 7z a -bd -ms=on -mx=9 \"$OUT\" . > /dev/null)",
				"zip", "readme.txt", "docs/data.bin", "docs/empty/"));
		all.add(archive("7z BZip2", "7z", "bzip2.7z", tree + "(cd in && 7z a -bd -m0=BZip2 \"$OUT\" . > /dev/null)",
				"tar.gz", "readme.txt"));
		all.add(archive("7z Deflate, not solid", "7z", "deflate.7z",
				tree + "(cd in && 7z a -bd -m0=Deflate -ms=off \"$OUT\" . > /dev/null)", "tar.xz", "docs/data.bin"));
		all.add(archive("7z zip (-tzip)", "7z", "seven.zip", tree + "(cd in && 7z a -bd -tzip \"$OUT\" . > /dev/null)",
				"7z", "readme.txt", "docs/data.bin"));
		all.add(fails("7z PPMd (a method this service does not read)", "7z", "ppmd.7z",
				tree + "(cd in && 7z a -bd -m0=PPMd \"$OUT\" . > /dev/null)", "zip", "compression method"));
		all.add(fails("7z with encrypted headers", "7z", "secret.7z",
				tree + "(cd in && 7z a -bd -psecret -mhe=on \"$OUT\" . > /dev/null)", "zip", "password"));
		all.add(archive("GNU tar gzip -9", "tar", "gnu.tar.gz", tree + "tar -C in --format=gnu -cf - . | gzip -9 > \"$OUT\"",
				"zip", "readme.txt", "docs/empty/"));
		all.add(archive("GNU tar posix bzip2 named .tbz2", "tar", "posix.tbz2",
				tree + "tar -C in --format=posix -cjf \"$OUT\" .", "7z", "readme.txt"));
		all.add(archive("GNU tar v7 xz named .txz", "tar", "v7.txz", tree + "tar -C in --format=v7 -cJf \"$OUT\" .", "zip",
				"readme.txt", "docs/data.bin"));
		all.add(archive("GNU tar, name longer than 100 bytes", "tar", "long.tgz",
				"mkdir -p in/" + "d".repeat(60) + "; printf 'x\\n' > in/" + "d".repeat(60) + "/" + "n".repeat(70)
						+ ".txt; tar -C in -czf \"$OUT\" .",
				"zip", "d".repeat(60) + "/" + "n".repeat(70) + ".txt"));
		all.add(archive("GNU tar of Latin-1 names", "tar", "latin1.tar.gz",
				"mkdir in; printf 'x\\n' > in/$'caf\\xe9.txt'; tar -C in -czf \"$OUT\" .", "zip", "café.txt"));
		all.add(fails("GNU tar holding a symbolic link", "tar", "link.tar.gz",
				"mkdir in; printf 'x\\n' > in/a.txt; ln -s /etc/passwd in/p; tar -C in -czf \"$OUT\" .", "zip",
				"symbolic link"));
		all.add(fails("GNU tar holding a hard link", "tar", "hard.tar.gz",
				"mkdir in; printf 'x\\n' > in/a.txt; ln in/a.txt in/b.txt; tar -C in -czf \"$OUT\" .", "zip", "hard link"));
		all.add(archive("any file packed into a zip", "gzip", "changelog.gz",
				"printf 'a changelog\\n' | gzip -9 > \"$OUT\"", "zip", "changelog.gz"));
		// --- damaged and unsupported
		all.add(bad("truncated FLAC (first 200 bytes)", "flac", "cut.flac",
				"tone t.wav; flac --silent -o f.flac t.wav; head -c 200 f.flac > \"$OUT\"", "mp3"));
		all.add(bad("truncated HEIC (first 2 KB)", "heif-enc", "cut.heic",
				"picture p.png; heif-enc -o h.heic p.png; head -c 2048 h.heic > \"$OUT\"", "jpg"));
		all.add(bad("truncated PNG (header only)", "imagemagick", "cut.png",
				"picture p.png; head -c 100 p.png > \"$OUT\"", "jpg"));
		all.add(bad("truncated WebP", "cwebp", "cut.webp",
				"picture p.png; cwebp -quiet p.png -o w.webp; head -c 300 w.webp > \"$OUT\"", "png"));
		all.add(bad("truncated zip (no central directory)", "zip", "cut.zip",
				tree + "(cd in && zip -q -r ../z.zip .); head -c 1000 z.zip > \"$OUT\"", "tar.gz"));
		all.add(bad("truncated 7z", "7z", "cut.7z",
				tree + "(cd in && 7z a -bd ../s.7z . > /dev/null); head -c 3000 s.7z > \"$OUT\"", "zip"));
		all.add(bad("truncated tar.xz", "tar", "cut.tar.xz",
				tree + "tar -C in -cJf x.tar.xz .; head -c 2000 x.tar.xz > \"$OUT\"", "zip"));
		all.add(bad("text named .mp3", "bash", "notes.mp3", "printf 'just some notes\\n%.0s' {1..50} > \"$OUT\"", "wav"));
		all.add(refused("ImageMagick ICO (not a format this service reads)", "imagemagick", "icon.ico",
				"picture p.png; \"$IM\" p.png -resize 32x32 \"$OUT\"", "png"));
		all.add(refused("ImageMagick PPM (not a format this service reads)", "imagemagick", "pixels.ppm",
				"picture p.png; \"$IM\" p.png \"$OUT\"", "png"));
		all.addAll(shipped());
		return all.stream();
	}

	/**
	 * Media that Debian packages ship, where they are installed: the freedesktop sound theme, the
	 * pixmaps and a few pictures from the documentation (a handful of each, in a fixed order).
	 */
	static List<Sample> shipped() {
		List<Sample> found = new ArrayList<>();
		Map<String, String> targets = Map.of("oga", "mp3", "ogg", "wav", "wav", "flac", "png", "jpg", "jpg", "webp",
				"gif", "png");
		for (String folder : List.of("/usr/share/sounds/freedesktop/stereo", "/usr/share/pixmaps", "/usr/share/doc")) {
			Path root = Path.of(folder);
			if (!Files.isDirectory(root)) {
				continue;
			}
			Map<String, Integer> taken = new java.util.HashMap<>();
			try (Stream<Path> tree = Files.walk(root, 4)) {
				Iterator<Path> files = tree.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).iterator();
				while (files.hasNext()) {
					Path file = files.next();
					String name = file.getFileName().toString();
					String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
					if (!targets.containsKey(ext) || taken.merge(ext, 1, Integer::sum) > 3 || Files.size(file) < 64) {
						continue;
					}
					found.add(new Sample("shipped " + file, "cp", name, "cp '" + file + "' \"$OUT\"", targets.get(ext),
							Outcome.CONVERTS, List.of()));
				}
			}
			catch (IOException ex) {
				throw new AssertionError(ex);
			}
		}
		return found;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void convertsRealFilesOrRefusesThemWithAReason(Sample sample) throws Exception {
		Path folder = Files.createDirectories(files.resolve(UUID.randomUUID().toString()));
		Path input = make(sample, folder);
		Api.Response created = api.upload(user.token(), "fileName", input, sample.fileName(),
				Api.fields("newFormat", sample.target()), Map.of());
		assertThat(created.status()).as(created.text()).isLessThan(500);
		if (created.status() != 201) {
			assertThat(sample.outcome()).as("refused: " + created.text()).isIn(Outcome.REFUSED, Outcome.REFUSED_OR_FAILS);
			assertThat(created.status()).isBetween(400, 499);
			assertThat(created.header("Content-Type")).startsWith("application/problem+json");
			assertThat(created.json().get("detail").asText()).isNotBlank();
			return;
		}
		assertThat(sample.outcome()).as("accepted: " + created.text()).isNotEqualTo(Outcome.REFUSED);
		JsonNode done = Tasks.awaitEnd(api, user.token(), created.json().get("id").asText(), Duration.ofSeconds(120));
		String status = done.get("status").asText();
		if (sample.outcome() == Outcome.CONVERTS) {
			assertThat(status).as(done.toString()).isEqualTo("processed");
			Api.Response download = api.get(done.get("links").get("processed").asText(), user.token());
			assertThat(download.status()).isEqualTo(200);
			// no extension: read back by content alone
			Path result = Media.write(folder.resolve("result"), download.bytes());
			if (isArchive(sample.target())) {
				assertArchive(result, sample.target(), sample.expected());
			}
			else {
				assertMedia(result, sample.target());
			}
			return;
		}
		assertThat(status).as(done.toString()).isEqualTo("failed");
		assertThat(done.get("error").asText()).as(done.toString())
			.isNotBlank()
			.doesNotContain("/tmp", "/work", stack.storage.toString())
			.doesNotContainIgnoringCase("exception");
		sample.expected().forEach(word -> assertThat(done.get("error").asText()).containsIgnoringCase(word));
	}

	/**
	 * A portrait phone photo as ImageMagick writes it: the pixels stored landscape (a white band
	 * along the top) and EXIF Orientation 6, "turn 90 degrees clockwise to show". Every result is
	 * upright (portrait, the band down the right side) and carries no EXIF.
	 */
	@Test
	void photosAreTurnedAsTheirExifOrientationSaysAndKeepNoExif() throws Exception {
		assumeTool("imagemagick");
		Path folder = Files.createDirectories(files.resolve("orientation"));
		// a TIFF-structured EXIF block with one entry: Orientation (0x0112), SHORT, 1 value, 6
		byte[] exif = { 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0,
				0, 0, 0, 0, 0, 0 };
		Media.write(folder.resolve("orientation.app1"), exif);
		Path photo = folder.resolve("portrait.jpg");
		shell(folder, "\"$IM\" -size 300x200 xc:navy -fill white -draw 'rectangle 0,0 300,40' -profile APP1:orientation.app1 "
				+ "portrait.jpg");
		assertThat(Media.run(List.of(imageMagick().orElseThrow(), photo.toString(), "-format", "%[orientation] %wx%h", "info:")))
			.isEqualTo("RightTop 300x200");
		for (String target : List.of("png", "webp", "avif", "jpg")) {
			Api.Response created = api.upload(user.token(), photo, target);
			assertThat(created.status()).as(created.text()).isEqualTo(201);
			JsonNode done = Tasks.awaitEnd(api, user.token(), created.json().get("id").asText(), Duration.ofSeconds(90));
			assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
			byte[] bytes = api.get(done.get("links").get("processed").asText(), user.token()).bytes();
			Path result = Media.write(folder.resolve("upright-" + target), bytes);
			int[] size = pictureSize(result);
			assertThat(size).as(target).containsExactly(200, 300);
			int[] right = pixel(result, 190, 150);
			assertThat(Math.min(right[0], Math.min(right[1], right[2]))).as(target + ": the band is on the right")
				.isGreaterThan(200);
			int[] left = pixel(result, 10, 150);
			assertThat(left[2]).as(target + ": navy on the left").isGreaterThan(left[0] + 40);
			assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(target + " keeps no EXIF")
				.doesNotContain("Exif\0\0")
				.doesNotContain("eXIf");
		}
	}

	@AfterAll
	static void theWorkerSurvivedAndNothingIsLeftUnfinished() {
		assertThat(stack.worker().isAlive()).isTrue();
		assertThat(stack.worker().isHealthy()).isTrue();
		assertThat(stack.web().isHealthy()).isTrue();
		JsonNode tasks = api.get("/api/tasks?max=1000", user.token()).json();
		assertThat(tasks.size()).isPositive();
		for (JsonNode task : tasks) {
			assertThat(task.get("status").asText()).as(task.toString()).isIn("processed", "failed");
		}
	}

	// --- checks

	/** Which ffprobe demuxer reads each target back, and the stream kind it must hold. */
	private static final Map<String, String> READ_BACK = Map.ofEntries(Map.entry("mp3", "mp3"), Map.entry("ogg", "ogg"),
			Map.entry("opus", "ogg"), Map.entry("flac", "flac"), Map.entry("wav", "wav"), Map.entry("aiff", "aiff"),
			Map.entry("aac", "aac"), Map.entry("ac3", "ac3"), Map.entry("m4a", "mov,mp4"), Map.entry("m4b", "mov,mp4"), Map.entry("au", "au"), Map.entry("caf", "caf"), Map.entry("jpg", "jpeg_pipe"),
			Map.entry("png", "png_pipe"), Map.entry("webp", "webp_pipe"), Map.entry("gif", "gif"),
			Map.entry("bmp", "bmp_pipe"), Map.entry("tiff", "tiff_pipe"), Map.entry("avif", "mov,mp4"),
			Map.entry("mp4", "mov,mp4"), Map.entry("webm", "matroska,webm"), Map.entry("mkv", "matroska,webm"));

	private static final List<String> AUDIO = List.of("mp3", "ogg", "opus", "flac", "wav", "aiff", "aac", "ac3", "m4a",
			"m4b", "au", "caf");

	private static void assertMedia(Path result, String target) {
		JsonNode probe = Media.probe(result);
		assertThat(probe.get("format").get("format_name").asText()).as(probe.toString())
			.startsWith(READ_BACK.get(target));
		String kind = AUDIO.contains(target) ? "audio" : "video";
		List<JsonNode> streams = new ArrayList<>();
		probe.get("streams").forEach(streams::add);
		assertThat(streams).as(probe.toString()).anyMatch(stream -> stream.get("codec_type").asText().equals(kind));
		if (kind.equals("video")) {
			assertThat(streams.get(0).get("width").asInt()).isPositive();
		}
		else {
			assertThat(probe.get("format").get("duration").asDouble()).as(probe.toString()).isGreaterThan(0.5);
		}
		// the source's own tags (title, artist, album, comments) stay behind
		JsonNode tags = probe.get("format").get("tags");
		if (tags != null) {
			tags.fieldNames()
				.forEachRemaining(tag -> assertThat(tag.toLowerCase(Locale.ROOT)).as(probe.toString())
					.isNotIn("title", "artist", "album", "date", "comment"));
		}
	}

	private static void assertArchive(Path result, String target, List<String> expected) throws Exception {
		// in a UTF-8 locale, or bsdtar shows every name that is not ASCII with question marks
		String listing = run(result.getParent(), List.of("env", "LC_ALL=C.UTF-8", "bsdtar", "-tf", result.toString()));
		List<String> names = listing.lines().map(name -> name.startsWith("./") ? name.substring(2) : name).toList();
		assertThat(names).as(target + " " + listing).containsAll(expected);
		// the archivers' own integrity test
		if (target.equals("zip")) {
			run(result.getParent(), List.of("unzip", "-tq", result.toString()));
		}
		else if (target.equals("7z")) {
			run(result.getParent(), List.of("7z", "t", "-bd", result.toString()));
		}
		else {
			run(result.getParent(), List.of("tar", "-tf", result.toString()));
		}
	}

	private static boolean isArchive(String target) {
		return List.of("zip", "7z", "tar.gz", "tar.bz2", "tar.xz").contains(target);
	}

	private static int[] pictureSize(Path picture) {
		JsonNode stream = Media.probe(picture).get("streams").get(0);
		return new int[] { stream.get("width").asInt(), stream.get("height").asInt() };
	}

	/** One pixel's red, green and blue, decoded by ffmpeg into a PPM (a short text header, then RGB bytes). */
	private static int[] pixel(Path picture, int x, int y) throws IOException {
		Path ppm = picture.resolveSibling(picture.getFileName() + ".ppm");
		Media.ffmpeg(ppm, "-i", picture.toString(), "-frames:v", "1", "-pix_fmt", "rgb24", "-c:v", "ppm", "-f", "image2",
				"-update", "1");
		byte[] bytes = Files.readAllBytes(ppm);
		String[] header = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).split("\\s+", 5);
		int width = Integer.parseInt(header[1]);
		int height = Integer.parseInt(header[2]);
		int at = bytes.length - width * height * 3 + (y * width + x) * 3;
		return new int[] { bytes[at] & 0xff, bytes[at + 1] & 0xff, bytes[at + 2] & 0xff };
	}

	// --- making the corpus

	private static Sample ok(String title, String tool, String fileName, String script, String target) {
		return new Sample(title, tool, fileName, script, target, Outcome.CONVERTS, List.of());
	}

	private static Sample archive(String title, String tool, String fileName, String script, String target,
			String... entries) {
		return new Sample(title, tool, fileName, script, target, Outcome.CONVERTS, List.of(entries));
	}

	private static Sample fails(String title, String tool, String fileName, String script, String target,
			String reason) {
		return new Sample(title, tool, fileName, script, target, Outcome.FAILS, List.of(reason));
	}

	private static Sample bad(String title, String tool, String fileName, String script, String target) {
		return new Sample(title, tool, fileName, script, target, Outcome.REFUSED_OR_FAILS, List.of());
	}

	private static Sample refused(String title, String tool, String fileName, String script, String target) {
		return new Sample(title, tool, fileName, script, target, Outcome.REFUSED, List.of());
	}

	private static Path make(Sample sample, Path folder) throws Exception {
		assumeTools(sample);
		Path out = folder.resolve("made-" + sample.fileName().replace('/', '_'));
		shell(folder, "OUT='" + out + "'\n" + sample.script());
		assertThat(out).as("the script wrote its file").isRegularFile();
		return out;
	}

	private static void shell(Path folder, String script) throws Exception {
		List<String> command = List.of("bash", "-c", PRELUDE + "IM='" + imageMagick().orElse("convert") + "'\n" + script);
		run(folder, command);
	}

	private static String run(Path folder, List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] out = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		String text = new String(out, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
		return text;
	}

	/**
	 * Skips the entry, saying so, when a tool that makes it is not installed: its own, and sox or
	 * ImageMagick when its script starts from a tone or a picture.
	 */
	private static void assumeTool(String tool) {
		assumeThat(tool.equals("imagemagick") ? imageMagick().isPresent() : onPath(tool))
			.as(tool + " is not installed (make test-services installs it)")
			.isTrue();
	}

	private static void assumeTools(Sample sample) {
		assumeTool(sample.tool());
		if (sample.script().contains("tone ")) {
			assumeTool("sox");
		}
		if (sample.script().contains("picture ") || sample.script().contains("$IM")) {
			assumeTool("imagemagick");
		}
		if (sample.script().contains("clip ")) {
			assumeTool("x264");
			assumeTool("imagemagick");
		}
	}

	/**
	 * ImageMagick's own convert: /usr/local/bin may hold a stand-in named convert that is not
	 * ImageMagick, so Debian's binary is looked for by its full name first.
	 */
	private static Optional<String> imageMagick() {
		for (String candidate : List.of("/usr/bin/convert-im6.q16", "/usr/bin/convert", "/usr/bin/magick")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	private static boolean onPath(String tool) {
		return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
	}

}
