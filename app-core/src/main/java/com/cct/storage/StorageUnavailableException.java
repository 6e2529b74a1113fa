package com.cct.storage;

/**
 * The storage could not be reached or answered with a server error (a bucket's endpoint down, say):
 * the request may succeed a moment later, so the web process answers 503 rather than 500.
 */
public class StorageUnavailableException extends RuntimeException {

	StorageUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
