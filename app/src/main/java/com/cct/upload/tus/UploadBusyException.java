package com.cct.upload.tus;

/** Another request is writing to the same upload right now. */
class UploadBusyException extends RuntimeException {

	UploadBusyException() {
		super("upload busy", null, false, false);
	}

}
