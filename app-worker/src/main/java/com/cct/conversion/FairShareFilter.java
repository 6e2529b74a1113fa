package com.cct.conversion;

import java.time.Instant;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.SucceededState;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A conversion that yielded to other accounts ({@link FairShare}) ends as a new schedule a few
 * seconds later instead of a success; every other election is left alone. JobRunr 8.4 drops the
 * first of several state election filters per job, which is its own default {@code RetryFilter}
 * (the starter adds the configured one after it): so this filter is kept beside the configured
 * retry filter rather than replacing it, and failures keep their retries and back-off. It must not
 * extend {@code RetryFilter}, or a failure would be scheduled twice.
 */
@Component
class FairShareFilter implements ElectStateFilter {

	// built before the job server starts, like FailedTaskFilter
	private final ObjectProvider<FairShare> fairShare;

	FairShareFilter(ObjectProvider<FairShare> fairShare) {
		this.fairShare = fairShare;
	}

	@Override
	public void onStateElection(Job job, JobState newState) {
		if (newState instanceof SucceededState && this.fairShare.getObject().takeYield(job.getId())) {
			job.scheduleAt(Instant.now().plus(FairShare.YIELD_DELAY), "Its owner's other conversions run first");
		}
	}

}
