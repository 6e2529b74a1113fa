package com.cct.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ThreadsTests {

	@Test
	void daemonFactoryMakesNamedDaemonThreads() {
		Runnable work = () -> {
		};
		Thread thread = Threads.daemon("cct-test-timer").newThread(work);
		assertThat(thread.isDaemon()).isTrue();
		assertThat(thread.getName()).isEqualTo("cct-test-timer");
		assertThat(thread.isAlive()).isFalse();
	}

	@Test
	void schedulerRunsWorkOnOneNamedDaemonThread() throws Exception {
		ScheduledExecutorService scheduler = Threads.scheduler("cct-test-scheduler");
		try {
			CompletableFuture<Thread> first = new CompletableFuture<>();
			CompletableFuture<Thread> second = new CompletableFuture<>();
			scheduler.execute(() -> first.complete(Thread.currentThread()));
			scheduler.schedule(() -> second.complete(Thread.currentThread()), 10, TimeUnit.MILLISECONDS);

			Thread ran = first.get(5, TimeUnit.SECONDS);
			assertThat(ran.getName()).isEqualTo("cct-test-scheduler");
			assertThat(ran.isDaemon()).isTrue();
			assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(ran);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

}
