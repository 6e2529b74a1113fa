package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits are the kernel's: a real process started through the jail is held to them. */
class ProcessJailTests {

	private static final ProcessJail JAIL = new ProcessJail(512L * 1024 * 1024, 4096, 2);

	@TempDir
	Path folder;

	@Test
	void wrapsTheCommandInTheLimits() {
		List<String> command = JAIL.wrap(List.of("ffmpeg", "-version"), Duration.ofSeconds(60), Long.MAX_VALUE);
		assertThat(command).endsWith("ffmpeg", "-version");
		assertThat(command).contains("--as=" + (512L * 1024 * 1024), "--fsize=4096", "--core=0", "--cpu=125");
		assertThat(command).startsWith("/usr/bin/setpriv", "--pdeathsig", "KILL");
	}

	@Test
	void aTighterFileLimitWinsButNeverALooserOne() {
		assertThat(JAIL.wrap(List.of("true"), Duration.ofSeconds(1), 100)).contains("--fsize=100");
		assertThat(JAIL.wrap(List.of("true"), Duration.ofSeconds(1), 1L << 40)).contains("--fsize=4096");
	}

	@Test
	void theEnvironmentIsReplacedNotInherited() {
		Map<String, String> environment = new HashMap<>(Map.of("SPRING_DATASOURCE_PASSWORD", "secret", "CCT_JWT_SECRET",
				"x", "HOME", "/root"));
		JAIL.clean(environment);
		assertThat(environment).containsOnlyKeys("PATH", "LC_ALL");
	}

	@Test
	void aJailedProcessCannotWritePastTheFileLimit() throws Exception {
		Path out = this.folder.resolve("big.bin");
		ProcessScope scope = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(1), Clock.systemUTC(), JAIL);
		Process process = scope.startReadingOutput(
				List.of("/bin/sh", "-c", "head -c 100000 /dev/zero > " + out), null);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isNotZero();
		assertThat(Files.size(out)).isEqualTo(4096);
		scope.close();
	}

	@Test
	void aJailedProcessSeesNoneOfTheWorkersEnvironment() throws Exception {
		ProcessScope scope = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(1), Clock.systemUTC(), JAIL);
		Process process = scope.startReadingOutput(List.of("/usr/bin/env"), null);
		String seen = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(10, TimeUnit.SECONDS);
		assertThat(seen.lines().toList()).containsExactlyInAnyOrder("PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8");
		scope.close();
	}

	@Test
	void aJailedProcessHasTheAddressSpaceLimit() throws IOException, InterruptedException {
		ProcessScope scope = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(1), Clock.systemUTC(), JAIL);
		Process process = scope.startReadingOutput(List.of("/bin/sh", "-c", "cat /proc/self/limits"), null);
		String limits = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(10, TimeUnit.SECONDS);
		assertThat(limits.lines().filter(line -> line.startsWith("Max address space")).findFirst().orElseThrow())
			.contains(Long.toString(512L * 1024 * 1024));
		scope.close();
	}

}
