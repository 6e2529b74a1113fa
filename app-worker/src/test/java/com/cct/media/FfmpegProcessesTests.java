package com.cct.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.conversion.ErrorTail;
import com.cct.conversion.ProcessScope;

class FfmpegProcessesTests {

	static final List<String> SPEAKS_ON_BOTH = List.of("sh", "-c", "echo out; echo err >&2");

	final ProcessScope scope = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(1), Clock.systemUTC());

	@AfterEach
	void closeScope() {
		this.scope.close();
	}

	static String output(Process process) throws Exception {
		String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		return text;
	}

	@Test
	void outsideAConversionRunsAPlainProcessWithErrorsInItsOutput() throws Exception {
		Process process = new FfmpegProcesses().run(SPEAKS_ON_BOTH);
		assertThat(output(process)).contains("out\n", "err\n");
	}

	@Test
	void outsideAConversionTheProcessHasNoInput() throws Exception {
		Process process = new FfmpegProcesses().run(List.of("readlink", "/proc/self/fd/0"));
		assertThat(output(process).strip()).isEqualTo("/dev/null");
	}

	@Test
	void withinAConversionTheTailOfTheErrorsIsKept() throws Exception {
		ErrorTail errors = new ErrorTail();
		Process process = FfmpegProcesses.within(new FfmpegProcesses.Binding(this.scope, errors),
				() -> new FfmpegProcesses().run(SPEAKS_ON_BOTH));
		String out = output(process);
		assertThat(out).isEqualTo("out\n");
		assertThat(errors.text()).isEqualTo("err\n");
	}

	@Test
	void withinAConversionTheProcessBelongsToItsScope() throws Exception {
		Process process = FfmpegProcesses.within(new FfmpegProcesses.Binding(this.scope, null),
				() -> new FfmpegProcesses().run(List.of("sleep", "30")));
		assertThat(process.isAlive()).isTrue();

		this.scope.cancel();

		await().atMost(Duration.ofSeconds(1)).until(() -> !process.isAlive());
	}

	@Test
	void aCancelledConversionStartsNothing() {
		this.scope.cancel();
		assertThatThrownBy(() -> FfmpegProcesses.within(new FfmpegProcesses.Binding(this.scope, null),
				() -> new FfmpegProcesses().run(List.of("true")))).isInstanceOf(IOException.class);
	}

	@Test
	void theBindingEndsWithItsBlockEvenWhenItFails() throws Exception {
		assertThatThrownBy(() -> FfmpegProcesses.within(new FfmpegProcesses.Binding(this.scope, null), () -> {
			throw new IOException("ffmpeg failed");
		})).hasMessage("ffmpeg failed");
		this.scope.cancel();

		Process process = new FfmpegProcesses().run(List.of("echo", "still runs"));

		assertThat(output(process)).isEqualTo("still runs\n");
	}

}
