package com.cct.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.jobrunr.scheduling.JobScheduler;
import org.springframework.stereotype.Component;

import com.cct.job.TaskJobs;
import com.cct.job.VerificationJob;

/** Enqueues the account mails the worker sends; ids derived from the account keep them few. */
@Component
class AccountMails {

	/** However often an address is used to sign up again, its owner hears of it once per this. */
	static final Duration ADDRESS_USED_QUIET = Duration.ofHours(1);

	private final JobScheduler scheduler;

	private final TaskJobs jobs;

	private final Clock clock;

	AccountMails(JobScheduler scheduler, TaskJobs jobs, Clock clock) {
		this.scheduler = scheduler;
		this.jobs = jobs;
		this.clock = clock;
	}

	/** One verification mail per account: enqueueing a known job id is a no-op. */
	void verificationLink(UUID userId) {
		this.scheduler.<VerificationJob>enqueue(id("verify:" + userId), job -> job.mailVerificationLink(userId));
		this.jobs.wakeWorkers();
	}

	/** The account is being deleted: its verification mail job (whose argument is its id) goes too. */
	void forget(UUID userId) {
		this.jobs.deleteJob(id("verify:" + userId));
	}

	void addressUsed(UUID userId) {
		long period = this.clock.millis() / ADDRESS_USED_QUIET.toMillis();
		this.scheduler.<VerificationJob>enqueue(id("address-used:" + userId + ":" + period),
				job -> job.mailAddressAlreadyUsed(userId));
		this.jobs.wakeWorkers();
	}

	private static UUID id(String key) {
		return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
	}

}
