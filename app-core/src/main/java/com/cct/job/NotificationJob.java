package com.cct.job;

import java.util.UUID;

import org.jobrunr.jobs.annotations.Job;

/**
 * Mails the owner that a task ended. A job of its own so an SMTP outage retries the mail, never the
 * conversion; the back-off of eight retries spans about an hour and a half.
 */
public interface NotificationJob {

	@Job(name = "Mail the owner of task %0", retries = 8)
	void notifyOwner(UUID taskId);

}
