package com.cct.conversion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limits every external process of a conversion (ffmpeg and its helpers) runs under, set by the
 * kernel so no input can talk its way past them: util-linux's {@code setpriv} kills the process when
 * the worker dies, {@code prlimit} caps its address space, its CPU time (from the conversion's
 * deadline), the size of any file it writes (the output ceiling) and forbids core dumps. It starts
 * with a clean environment, so database, Redis and SMTP credentials never reach it. Both tools ship
 * in util-linux (Debian and Ubuntu images have them); where they are missing the limits are skipped
 * and the watchdog's deadline and the output check still hold.
 *
 * @param maxMemoryBytes address space of one process
 * @param maxFileBytes the largest file a process may write
 * @param cores CPU time is wall time times this
 */
record ProcessJail(long maxMemoryBytes, long maxFileBytes, int cores) {

	private static final String SETPRIV = "/usr/bin/setpriv";

	private static final String PRLIMIT = "/usr/bin/prlimit";

	private static final boolean HAS_SETPRIV = Files.isExecutable(Path.of(SETPRIV));

	private static final boolean HAS_PRLIMIT = Files.isExecutable(Path.of(PRLIMIT));

	/** What a jailed process may see of the environment: where programs are, and a neutral locale. */
	private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LC_ALL",
			"C.UTF-8");

	static ProcessJail of(ConversionSettings settings) {
		return new ProcessJail(settings.processMaxMemory().toBytes(), settings.maxOutputSize().toBytes(),
				Runtime.getRuntime().availableProcessors());
	}

	/**
	 * The command wrapped in the limits, for a process that may run for at most {@code timeLeft} and
	 * write files of at most {@code fileBytes} (never more than the jail's own ceiling).
	 */
	List<String> wrap(List<String> command, Duration timeLeft, long fileBytes) {
		List<String> jailed = new ArrayList<>();
		if (HAS_SETPRIV) {
			jailed.addAll(List.of(SETPRIV, "--pdeathsig", "KILL"));
		}
		if (HAS_PRLIMIT) {
			long cpuSeconds = Math.max(1, timeLeft.toSeconds()) * Math.max(1, this.cores) + 5;
			jailed.addAll(List.of(PRLIMIT, "--as=" + this.maxMemoryBytes, "--cpu=" + cpuSeconds,
					"--fsize=" + Math.min(fileBytes, this.maxFileBytes), "--core=0", "--"));
		}
		jailed.addAll(command);
		return jailed;
	}

	/** Replaces the worker's environment with the jail's. */
	void clean(Map<String, String> environment) {
		environment.clear();
		environment.putAll(ENVIRONMENT);
	}

}
