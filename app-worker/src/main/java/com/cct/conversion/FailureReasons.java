package com.cct.conversion;

import org.jobrunr.jobs.states.FailedState;

import com.cct.job.ConversionJob;

/**
 * The reason a failed task shows its owner, read from the job's last failure, wherever the failure
 * is noticed (the job server's filter, the reconciler). Our own exceptions carry a message written
 * for the user; anything else is summarised without internals.
 */
public final class FailureReasons {

	private FailureReasons() {
	}

	public static String of(FailedState state) {
		String type = state.getExceptionType();
		if (RejectedInputException.class.getName().equals(type) || DeadlineExceededException.class.getName().equals(type)) {
			return state.getExceptionMessage();
		}
		return "The conversion failed after " + (ConversionJob.RETRIES + 1)
				+ " attempts because of an error on our side. Please retry later.";
	}

}
