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
import com.cct.task.TaskLifecycle;

/**
 * When JobRunr gives a conversion up (its last retry failed, or the input was rejected), the task
 * fails with a reason a person can read; its lifecycle mails the owner. A notification that
 * exhausted its retries is given up with a log line.
 */
@Component
class FailedTaskFilter implements JobServerFilter {

	private static final Logger log = LoggerFactory.getLogger(FailedTaskFilter.class);

	// the filter is built before the job server starts; the lifecycle's beans may not exist yet
	private final ObjectProvider<TaskLifecycle> lifecycle;

	FailedTaskFilter(ObjectProvider<TaskLifecycle> lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void onFailedAfterRetries(Job job) {
		String jobClass = job.getJobDetails().getClassName();
		if (jobClass.equals(NotificationJob.class.getName())) {
			log.warn("Giving up mailing the owner of task {} after all retries: {}",
					job.getJobDetails().getJobParameters().get(0).getObject(),
					job.getLastJobStateOfType(FailedState.class).map(FailedState::getExceptionMessage).orElse(""));
			return;
		}
		if (!jobClass.equals(ConversionJob.class.getName())) {
			return;
		}
		UUID taskId = job.getId();
		String reason = job.getLastJobStateOfType(FailedState.class).map(FailureReasons::of)
			.orElse("The conversion failed.");
		this.lifecycle.getObject().fail(taskId, reason).ifPresent(task -> log.info("Task {} failed: {}", taskId, reason));
	}

}
