package com.cct.upload.tus;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.cct.system.Threads;

/**
 * Deletes resumable uploads nobody continued within {@code CCT_TUS_EXPIRY}: their rows and bytes.
 * Several web processes may sweep at once; each takes only rows nobody holds ({@code skip locked}).
 */
@Component
class TusExpirySweeper implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(TusExpirySweeper.class);

	private final ResumableUploads uploads;

	private final TusSettings settings;

	private final ScheduledExecutorService scheduler = Threads.scheduler("tus-expiry-sweeper");

	TusExpirySweeper(ResumableUploads uploads, TusSettings settings) {
		this.uploads = uploads;
		this.settings = settings;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		long every = this.settings.sweepEvery().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
	}

	private void sweep() {
		try {
			int swept = this.uploads.sweepExpired();
			if (swept > 0) {
				log.info("Deleted {} resumable uploads not continued within {}", swept, this.settings.expiry());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Sweeping expired resumable uploads failed: {}", ex.toString());
		}
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
