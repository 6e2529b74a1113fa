package com.cct.format;

/** What a format holds; the conversion matrix is defined between kinds. */
public enum MediaKind {
	VIDEO, AUDIO, IMAGE, ARCHIVE;

	public boolean isMedia() {
		return this != ARCHIVE;
	}
}
