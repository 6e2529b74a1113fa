package com.cct.media;

import java.io.File;
import java.io.IOException;
import java.util.List;

import com.cct.conversion.ErrorTail;
import com.cct.conversion.ProcessScope;

import net.bramp.ffmpeg.ProcessFunction;

/**
 * How ffmpeg-cli-wrapper starts processes here: inside the current conversion's
 * {@link ProcessScope} (so the watchdog can kill them, in its jail) with the tail of their errors
 * kept. Outside a conversion (the wrapper's start-up version check) a plain process is used.
 */
final class FfmpegProcesses implements ProcessFunction {

	private static final ThreadLocal<Binding> CURRENT = new ThreadLocal<>();

	record Binding(ProcessScope scope, ErrorTail errors) {
	}

	interface IoAction<T> {

		T run() throws IOException;

	}

	static <T> T within(Binding binding, IoAction<T> action) throws IOException {
		CURRENT.set(binding);
		try {
			return action.run();
		}
		finally {
			CURRENT.remove();
		}
	}

	@Override
	public Process run(List<String> command) throws IOException {
		Binding binding = CURRENT.get();
		if (binding == null) {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(new File("/dev/null"))
				.start();
		}
		// the wrapper reads standard output until the process ends, so it must stay a pipe
		return binding.scope().startReadingOutput(command, binding.errors());
	}

}
