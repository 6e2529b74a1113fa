package com.cct.conversion;

import org.jobrunr.JobRunrException;

/**
 * The input cannot be converted (not media, truncated, hostile, over a limit). JobRunr does not
 * retry it; the message becomes the task's {@code error}, so it must be written for the user and
 * must not contain paths or internals.
 */
public class RejectedInputException extends JobRunrException {

	public RejectedInputException(String reasonForTheUser) {
		super(reasonForTheUser, true);
	}

}
