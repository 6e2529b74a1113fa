package com.cct.job;

import java.util.UUID;

import org.jobrunr.jobs.annotations.Job;

/**
 * Delivers one task ending to one webhook, signed. A job of its own per webhook and ending, so a
 * receiver that is down is retried with back-off (eight retries span about an hour and a half, like
 * the mail) without touching the conversion or the other webhooks. The job id is the delivery id.
 */
public interface WebhookJob {

	int RETRIES = 8;

	@Job(name = "Tell webhook %0 that task %1 ended (%2)", retries = RETRIES)
	void deliver(UUID webhookId, UUID taskId, String event) throws Exception;

}
