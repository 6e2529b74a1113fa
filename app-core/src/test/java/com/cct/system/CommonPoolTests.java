package com.cct.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * On a JVM that sees two cores (as the machines here, and small cloud VMs), which thread runs
 * {@code CompletableFuture.runAsync}: each case is a JVM of its own, since the pool is set up once.
 */
class CommonPoolTests {

	@Test
	void withoutItEveryAsyncTaskGetsANewThreadOnTwoCores() throws Exception {
		assertThat(runAsyncThreads(false)).allMatch(name -> name.startsWith("Thread-")).doesNotHaveDuplicates();
	}

	@Test
	void withItAsyncTasksRunOnTheCommonPool() throws Exception {
		assertThat(runAsyncThreads(true)).allMatch(name -> name.startsWith("ForkJoinPool.commonPool-worker"));
	}

	@Test
	void aParallelismGivenOnTheCommandLineWins() throws Exception {
		assertThat(run(true, "-D" + CommonPool.PARALLELISM + "=1")).startsWith("1 ");
	}

	private static List<String> runAsyncThreads(boolean ensure) throws Exception {
		String out = run(ensure);
		List<String> names = new ArrayList<>(List.of(out.split(" ")));
		assertThat(names.remove(0)).isEqualTo(ensure ? "2" : "1");
		return names;
	}

	/** "parallelism thread thread ..." as printed by {@link Probe} in a JVM with two cores. */
	private static String run(boolean ensure, String... options) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:ActiveProcessorCount=2"));
		command.addAll(List.of(options));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), Boolean.toString(ensure)));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

	/** Runs five async tasks one after the other and prints the pool's parallelism and their threads. */
	public static final class Probe {

		public static void main(String[] args) throws Exception {
			int parallelism = Boolean.parseBoolean(args[0]) ? CommonPool.atLeastTwoThreads()
					: java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
			StringBuilder out = new StringBuilder().append(parallelism);
			for (int i = 0; i < 5; i++) {
				String[] name = new String[1];
				CompletableFuture.runAsync(() -> name[0] = Thread.currentThread().getName()).get();
				out.append(' ').append(name[0]);
			}
			System.out.println(out);
		}

	}

}
