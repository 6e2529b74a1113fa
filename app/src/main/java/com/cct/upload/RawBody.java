package com.cct.upload;

import java.io.InputStream;

/** A body that is the file itself ({@code curl --data-binary @song.wav}); its fields come in the query. */
final class RawBody implements UploadBody {

	private final InputStream body;

	private final UploadRequest query;

	RawBody(InputStream body, UploadRequest query) {
		this.body = body;
		this.query = query;
	}

	@Override
	public UploadRequest openFile() {
		return this.query;
	}

	@Override
	public InputStream file() {
		return this.body;
	}

	@Override
	public UploadRequest finish() {
		return this.query;
	}

}
