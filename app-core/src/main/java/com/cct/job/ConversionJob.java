package com.cct.job;

import java.util.UUID;

import org.jobrunr.jobs.annotations.Job;

/**
 * The contract the web process enqueues against and only app-worker implements. The job id is the
 * task id, so enqueueing twice is harmless and a task row can always be matched to its job.
 */
public interface ConversionJob {

	/** Transient failures (a full disk, a lost NFS mount, a killed worker) get this many retries. */
	int RETRIES = 3;

	@Job(name = "Convert task %0", retries = RETRIES)
	void convert(UUID taskId) throws Exception;

}
