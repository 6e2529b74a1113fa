/** Video, audio and image conversions through ffmpeg (ffmpeg-cli-wrapper), sandboxed and probed first. */
package com.cct.media;
