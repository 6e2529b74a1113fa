package com.cct.webhook;

/** A webhook URL that may not be called, with the reason in words for its owner. */
public class RefusedAddressException extends Exception {

	public RefusedAddressException(String reason) {
		super(reason);
	}

}
