package com.cct.conversion;

import java.time.Duration;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream of fractions into at most one update per interval, only when the whole percentage
 * moved: the task's progress (Redis, coarser in PostgreSQL) and JobRunr's progress bar.
 */
final class ProgressThrottle implements DoubleConsumer {

	private static final Logger log = LoggerFactory.getLogger(ProgressThrottle.class);

	private final long intervalNanos;

	private final IntConsumer publish;

	private final JobDashboardProgressBar bar;

	private long lastAt;

	private int lastPercent;

	ProgressThrottle(Duration interval, IntConsumer publish, JobDashboardProgressBar bar) {
		this.intervalNanos = interval.toNanos();
		this.publish = publish;
		this.bar = bar;
	}

	@Override
	public synchronized void accept(double fraction) {
		// 100 is published by the processed transition itself
		int percent = (int) Math.min(99, Math.floor(fraction * 100));
		long now = System.nanoTime();
		if (percent <= this.lastPercent || now - this.lastAt < this.intervalNanos) {
			return;
		}
		this.lastAt = now;
		this.lastPercent = percent;
		try {
			this.publish.accept(percent);
			if (this.bar != null) {
				this.bar.setProgress(percent);
			}
		}
		catch (RuntimeException ex) {
			// progress is a courtesy: a database or Redis that is away for a moment must not end the
			// conversion (this runs on ffmpeg's progress-reader thread, where an escaping exception
			// would kill the reader and with it the conversion's output handling)
			log.warn("Progress {}% not published: {}", percent, ex.toString());
		}
	}

}
