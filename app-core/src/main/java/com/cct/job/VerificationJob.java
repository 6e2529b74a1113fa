package com.cct.job;

import java.util.UUID;

import org.jobrunr.jobs.annotations.Job;

/**
 * Mails about the account itself, sent by the worker like every other mail. The token of a link is
 * made where it is mailed, so it is never stored in clear, not even in the job's arguments.
 */
public interface VerificationJob {

	/** Mails a fresh link that proves the address belongs to the account. */
	@Job(name = "Mail the verification link of account %0", retries = 8)
	void mailVerificationLink(UUID userId);

	/**
	 * Tells the owner of an address that someone tried to sign up with it again: the sign-up itself
	 * answers as for a new account, so it reveals nothing about who has one.
	 */
	@Job(name = "Mail account %0 that its address was used to sign up again", retries = 8)
	void mailAddressAlreadyUsed(UUID userId);

}
