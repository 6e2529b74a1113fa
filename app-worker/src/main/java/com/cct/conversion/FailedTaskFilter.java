package com.cct.conversion;

import java.util.UUID;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.FailedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import com.cct.job.ConversionJob;
import com.cct.job.NotificationJob;
import com.cct.job.TaskJobs;
import com.cct.task.TaskTransitions;

/**
 * When JobRunr gives a conversion up (its last retry failed, or the input was rejected), the task
 * becomes {@code failed} with a reason a person can read, and the owner is mailed. A notification
 * that exhausted its retries is given up with a log line.
 */
@Component
class FailedTaskFilter implements JobServerFilter {

	private static final Logger log = LoggerFactory.getLogger(FailedTaskFilter.class);

	private final ObjectProvider<TaskTransitions> transitions;

	private final ObjectProvider<TaskJobs> jobs;

	FailedTaskFilter(ObjectProvider<TaskTransitions> transitions, ObjectProvider<TaskJobs> jobs) {
		this.transitions = transitions;
		this.jobs = jobs;
	}

	@Override
	public void onFailedAfterRetries(Job job) {
		String jobClass = job.getJobDetails().getClassName();
		if (jobClass.equals(NotificationJob.class.getName())) {
			log.warn("Giving up mailing the owner of task {} after all retries: {}", job.getJobDetails()
				.getJobParameters()
				.get(0)
				.getObject(), job.getLastJobStateOfType(FailedState.class).map(FailedState::getExceptionMessage).orElse(""));
			return;
		}
		if (!jobClass.equals(ConversionJob.class.getName())) {
			return;
		}
		UUID taskId = job.getId();
		String reason = job.getLastJobStateOfType(FailedState.class).map(FailedTaskFilter::reason)
			.orElse("The conversion failed.");
		this.transitions.getObject().toFailed(taskId, reason).ifPresent(task -> {
			log.info("Task {} failed: {}", taskId, reason);
			if (task.notifyOwner()) {
				this.jobs.getObject().enqueueNotification(taskId, task.finishedAt());
			}
		});
	}

	/** Our own exceptions carry a message for the user; anything else is summarised without internals. */
	static String reason(FailedState state) {
		String type = state.getExceptionType();
		if (RejectedInputException.class.getName().equals(type) || DeadlineExceededException.class.getName().equals(type)) {
			return state.getExceptionMessage();
		}
		return "The conversion failed after " + (ConversionJob.RETRIES + 1)
				+ " attempts because of an error on our side. Please retry later.";
	}

}
