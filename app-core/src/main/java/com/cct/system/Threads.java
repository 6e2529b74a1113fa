package com.cct.system;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Background threads of our own (timers, watchdogs, subscriptions) are daemons with a name, so they
 * never keep a stopping JVM alive and a thread dump says whose they are.
 */
public final class Threads {

	private Threads() {
	}

	public static ThreadFactory daemon(String name) {
		return runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/** A single named daemon thread that runs scheduled work. */
	public static ScheduledExecutorService scheduler(String name) {
		return Executors.newSingleThreadScheduledExecutor(daemon(name));
	}

}
