package com.cct.conversion;

import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobSteward;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.cct.job.TaskJobs;
import com.cct.redis.RedisGuard;
import com.cct.redis.RedisSubscription;
import com.cct.system.Threads;

/**
 * Listens on Redis for the web process's signals. A wake-up makes an idle server onboard work now
 * rather than at its next poll (JobRunr's steward runs its lock-guarded onboarding step when told a
 * thread went idle); a second nudge shortly after covers an enqueue that landed while a poll was
 * already running. A cancel kills the named task's processes at once. The regular poll stays the
 * safety net whenever Redis is away.
 */
@Component
class WorkerSignals implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(WorkerSignals.class);

	private static final long SECOND_NUDGE_MILLIS = 250;

	private final BackgroundJobServer server;

	private final ProcessControl control;

	private final ScheduledExecutorService nudger = Threads.scheduler("worker-nudger");

	private final AtomicBoolean nudgePending = new AtomicBoolean();

	private final RedisSubscription subscription;

	private final boolean wakeUps;

	WorkerSignals(RedisGuard redis, BackgroundJobServer server, ProcessControl control, ConversionSettings settings) {
		this.server = server;
		this.control = control;
		this.wakeUps = settings.wakeUps();
		this.subscription = RedisSubscription.toChannels("worker-signals", redis, this::onSignal,
				TaskJobs.WAKE_UP_CHANNEL, TaskJobs.CANCEL_CHANNEL);
	}

	@Override
	public void start() {
		this.subscription.start();
	}

	private void onSignal(String channel, String message) {
		if (TaskJobs.WAKE_UP_CHANNEL.equals(channel) && this.wakeUps) {
			wakeUp();
		}
		else if (TaskJobs.CANCEL_CHANNEL.equals(channel)) {
			cancel(message);
		}
	}

	/** Coalesces a burst of wake-ups into one nudge now and one shortly after. */
	void wakeUp() {
		if (this.nudgePending.compareAndSet(false, true)) {
			this.nudger.execute(() -> {
				this.nudgePending.set(false);
				nudge();
			});
			this.nudger.schedule(this::nudge, SECOND_NUDGE_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

	private void nudge() {
		try {
			// a worker whose threads are all busy has nothing to onboard: JobRunr takes the next job itself
			// the moment a thread frees up, so a nudge would only cost a database round trip
			if (!this.server.isRunning() || this.server.isNotReadyToProcessJobs()
					|| !this.server.getWorkDistributionStrategy().canOnboardNewWork()) {
				return;
			}
			JobSteward steward = this.server.getJobSteward();
			if (steward == null) {
				return;
			}
			steward.notifyThreadOccupied();
			steward.notifyThreadIdle();
		}
		catch (RuntimeException ex) {
			log.debug("Nudge skipped: {}", ex.getMessage());
		}
	}

	private void cancel(String message) {
		try {
			this.control.cancel(UUID.fromString(message.trim()));
		}
		catch (IllegalArgumentException ex) {
			log.debug("Ignoring a malformed cancel signal");
		}
	}

	@Override
	public void stop() {
		this.subscription.stop();
		this.nudger.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.subscription.isRunning();
	}

}
