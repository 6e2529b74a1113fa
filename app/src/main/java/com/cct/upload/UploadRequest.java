package com.cct.upload;

/**
 * The fields of one upload as far as they are known, before any check: from the query string, from
 * the multipart fields, or both; null for a field not (yet) seen. {@code fileName} is the file's own
 * name: the multipart file part's, or the query's for a raw body; null when there is no file.
 */
record UploadRequest(String fileName, String newFormat, String quality, String notifyOwner) {

	static final UploadRequest NONE = new UploadRequest(null, null, null, null);

	/**
	 * These fields with a multipart field added, unless the field is known already (the first value
	 * wins); newFormat values add up.
	 */
	UploadRequest withField(String name, String value) {
		return switch (name) {
			// repeated newFormat fields make a batch, as one comma-separated field does
			case "newFormat" -> new UploadRequest(this.fileName,
					this.newFormat == null ? value : this.newFormat + UploadValidator.TARGET_SEPARATOR + value,
					this.quality, this.notifyOwner);
			case "quality" -> this.quality != null ? this : new UploadRequest(this.fileName, this.newFormat, value, this.notifyOwner);
			case "notify" -> this.notifyOwner != null ? this : new UploadRequest(this.fileName, this.newFormat, this.quality, value);
			default -> this;
		};
	}

	UploadRequest withNewFormat(String target) {
		return new UploadRequest(this.fileName, target, this.quality, this.notifyOwner);
	}

	UploadRequest withFileName(String name) {
		return new UploadRequest(name, this.newFormat, this.quality, this.notifyOwner);
	}

	static boolean isField(String name) {
		return "newFormat".equals(name) || "quality".equals(name) || "notify".equals(name);
	}

}
