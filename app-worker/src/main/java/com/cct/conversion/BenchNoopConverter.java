package com.cct.conversion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import com.cct.task.Task;

/**
 * Takes every task and writes a tiny result, optionally after a sleep, so that {@code make
 * bench-scale} measures only the job system (PostgreSQL, Redis, JobRunr) and not ffmpeg. Off unless
 * {@code CCT_BENCH_NOOP_CONVERTER} is {@code noop} or {@code sleep:<duration>} (e.g.
 * {@code sleep:50ms}); setting it without the {@code bench} Spring profile stops the worker at
 * start-up, so a stray variable can never turn conversions into no-ops in production. Ordered first
 * so the runner picks it over the real converters when it is on.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BenchNoopConverter implements Converter {

	static final String PROFILE = "bench";

	private static final byte[] RESULT = "bench\n".getBytes(StandardCharsets.US_ASCII);

	private final boolean enabled;

	private final Duration sleep;

	BenchNoopConverter(@Value("${cct.bench.noop-converter:${CCT_BENCH_NOOP_CONVERTER:}}") String setting,
			Environment environment) {
		String value = setting.strip().toLowerCase(Locale.ROOT);
		this.enabled = !value.isEmpty();
		this.sleep = parse(value);
		if (this.enabled && !environment.acceptsProfiles(Profiles.of(PROFILE))) {
			throw new IllegalStateException("CCT_BENCH_NOOP_CONVERTER=" + setting
					+ " turns every conversion into a no-op and is refused outside the '" + PROFILE
					+ "' Spring profile (SPRING_PROFILES_ACTIVE=" + PROFILE + "); unset it.");
		}
	}

	private static Duration parse(String value) {
		if (value.isEmpty() || value.equals("noop")) {
			return Duration.ZERO;
		}
		if (value.startsWith("sleep:")) {
			return DurationStyle.detectAndParse(value.substring("sleep:".length()));
		}
		throw new IllegalStateException(
				"CCT_BENCH_NOOP_CONVERTER must be 'noop' or 'sleep:<duration>' (e.g. sleep:50ms), not '" + value + "'");
	}

	@Override
	public boolean handles(Task task) {
		return this.enabled;
	}

	@Override
	public void convert(ConversionContext context) throws IOException, InterruptedException {
		if (!this.sleep.isZero()) {
			Thread.sleep(this.sleep.toMillis());
		}
		context.checkpoint();
		Files.write(context.output(), RESULT);
		context.progress(1);
	}

}
