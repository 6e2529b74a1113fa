package com.cct.conversion;

import java.time.Duration;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream of fractions into two paced streams of whole percentages, each published only when
 * the percentage grew: a live one (the task's snapshot and event in Redis, at most once per
 * {@code liveInterval}) and a durable one (the row in PostgreSQL and JobRunr's progress bar, at
 * most once per {@code durableInterval}, the first only that long after the start, so a conversion
 * of a few seconds writes no progress to the database at all).
 */
final class ProgressThrottle implements DoubleConsumer {

	private static final Logger log = LoggerFactory.getLogger(ProgressThrottle.class);

	private final Pace live;

	private final Pace durable;

	ProgressThrottle(Duration liveInterval, IntConsumer live, Duration durableInterval, IntConsumer durable) {
		long now = System.nanoTime();
		this.live = new Pace(liveInterval, live, now - liveInterval.toNanos());
		this.durable = new Pace(durableInterval, durable, now);
	}

	@Override
	public synchronized void accept(double fraction) {
		// 100 is published by the processed transition itself
		int percent = (int) Math.min(99, Math.floor(fraction * 100));
		long now = System.nanoTime();
		this.live.offer(percent, now);
		this.durable.offer(percent, now);
	}

	private static final class Pace {

		private final long intervalNanos;

		private final IntConsumer publish;

		private long lastAt;

		private int lastPercent;

		Pace(Duration interval, IntConsumer publish, long lastAt) {
			this.intervalNanos = interval.toNanos();
			this.publish = publish;
			this.lastAt = lastAt;
		}

		void offer(int percent, long now) {
			if (percent <= this.lastPercent || now - this.lastAt < this.intervalNanos) {
				return;
			}
			this.lastAt = now;
			this.lastPercent = percent;
			try {
				this.publish.accept(percent);
			}
			catch (RuntimeException ex) {
				// progress is a courtesy: a database or Redis that is away for a moment must not end the
				// conversion (this runs on the converter's progress-reading thread)
				log.warn("Progress {}% not published: {}", percent, ex.toString());
			}
		}

	}

}
