package com.cct.media;

/**
 * What the probe found, reduced to what conversions need.
 *
 * @param demuxer the input format to pin for ffmpeg ({@code -f}), so it never guesses again
 * @param durationSeconds 0 for still images
 */
record MediaInfo(String demuxer, double durationSeconds, boolean hasVideo, boolean hasAudio, int width, int height) {
}
