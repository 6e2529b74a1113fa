package com.cct.system;

import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JVM's common pool room for two threads on a machine of one or two cores.
 * <p>
 * There its parallelism defaults to {@code cores - 1} = 1, and {@code CompletableFuture.runAsync}
 * then starts a new thread for every task instead of using the pool. JobRunr notifies its job-stats
 * listeners (the job metrics) that way on every job save: each upload and every state change of a
 * conversion started and ended a thread (23 a second in the web during {@code make bench}). Called
 * first thing in {@code main}, before anything touches the pool; a parallelism set on the command
 * line wins.
 */
public final class CommonPool {

	static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

	private CommonPool() {
	}

	/** The common pool's parallelism from now on (at least 2, unless the command line said otherwise). */
	public static int atLeastTwoThreads() {
		if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
			System.setProperty(PARALLELISM, "2");
		}
		return ForkJoinPool.getCommonPoolParallelism();
	}

}
