package com.cct.upload;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.web.multipart.MultipartException;

/**
 * A {@code multipart/form-data} upload: the file is the first file part named {@code fileName} (or
 * {@code file}); fields before it are known before its bytes are stored, fields after it only at the
 * end (so senders should put the fields first). Other parts are skipped.
 */
final class MultipartBody implements UploadBody {

	/** Tomcat's own default part count limit was 50. */
	static final int MAX_PARTS = 50;

	static final int MAX_FIELD_BYTES = 8 * 1024;

	private final MultipartReader reader;

	private UploadRequest fields;

	private int parts;

	MultipartBody(MultipartReader reader, UploadRequest query) {
		this.reader = reader;
		this.fields = query;
	}

	@Override
	public UploadRequest openFile() throws IOException {
		for (MultipartReader.Part part = next(); part != null; part = next()) {
			if (part.isFile() && ("fileName".equals(part.name()) || "file".equals(part.name()))) {
				this.fields = this.fields.withFileName(part.fileName());
				return this.fields;
			}
			field(part);
		}
		return this.fields;
	}

	@Override
	public InputStream file() {
		return this.reader.content();
	}

	@Override
	public UploadRequest finish() throws IOException {
		for (MultipartReader.Part part = next(); part != null; part = next()) {
			field(part);
		}
		return this.fields;
	}

	private MultipartReader.Part next() throws IOException {
		MultipartReader.Part part = this.reader.next();
		if (part != null && ++this.parts > MAX_PARTS) {
			throw new MultipartException("The upload has more than " + MAX_PARTS + " parts.");
		}
		return part;
	}

	private void field(MultipartReader.Part part) throws IOException {
		if (!part.isFile() && UploadRequest.isField(part.name())) {
			this.fields = this.fields.withField(part.name(), this.reader.text(MAX_FIELD_BYTES));
		}
	}

}
