package com.cct.conversion;

import java.time.Duration;

import org.jobrunr.JobRunrException;

/** The conversion ran past its deadline and was stopped; running it again would only time out again. */
public class DeadlineExceededException extends JobRunrException {

	public DeadlineExceededException(Duration limit) {
		super("The conversion took longer than its limit of " + Durations.readable(limit) + " and was stopped.", true);
	}

}
