package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessScopeTests {

	static final Duration KILLED_WITHIN = Duration.ofSeconds(1);

	/** A shell with a sleeping child, so killing must reach the whole tree. */
	static final List<String> FAMILY = List.of("sh", "-c", "sleep 30 & wait");

	final MutableClock clock = new MutableClock();

	final ProcessScope scope = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(10), this.clock);

	@AfterEach
	void killLeftovers() {
		this.scope.close();
	}

	static List<ProcessHandle> withChildren(Process process) {
		await().atMost(Duration.ofSeconds(5)).until(() -> process.descendants().count() >= 1);
		List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
		all.add(process.toHandle());
		return all;
	}

	static void assertAllDieWithin(List<ProcessHandle> processes, Duration limit) {
		await().atMost(limit).pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(processes).noneMatch(ProcessScopeTests::isRunning));
	}

	/**
	 * Alive and not a zombie. A killed grandchild is a zombie until someone reaps it, and where PID 1
	 * reaps no orphans (some containers) it stays one, which {@link ProcessHandle#isAlive()} still calls
	 * alive.
	 */
	static boolean isRunning(ProcessHandle process) {
		if (!process.isAlive()) {
			return false;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
			return state != 'Z' && state != 'X';
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Nested
	class Starting {

		@Test
		void readsTheOutputOfTheProcess() throws Exception {
			Process process = scope.startReadingOutput(List.of("echo", "hello"), null);
			assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
			assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).isZero();
		}

		@Test
		void givesTheProcessNoInput() throws Exception {
			Process process = scope.startReadingOutput(List.of("readlink", "/proc/self/fd/0"), null);
			assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
				.isEqualTo("/dev/null");
		}

		@Test
		void keepsTheTailOfTheErrors() throws Exception {
			ErrorTail errors = new ErrorTail();
			Process process = scope.startReadingOutput(List.of("sh", "-c", "echo out; echo broken >&2"), errors);
			assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("out\n");
			assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
			assertThat(errors.text()).isEqualTo("broken\n");
		}

		@Test
		void refusesToStartOnceClosed() {
			scope.close();
			assertThatThrownBy(() -> scope.startReadingOutput(List.of("true"), null)).isInstanceOf(IOException.class)
				.hasMessage("conversion already ended");
		}

		@Test
		void refusesToStartOnceCancelled() {
			scope.cancel();
			assertThatThrownBy(() -> scope.startReadingOutput(List.of("true"), null)).isInstanceOf(IOException.class);
		}

	}

	@Nested
	class Killing {

		@Test
		void cancelKillsTheProcessAndItsChildren() throws Exception {
			List<ProcessHandle> family = withChildren(scope.startReadingOutput(FAMILY, null));

			scope.cancel();

			assertAllDieWithin(family, KILLED_WITHIN);
			assertThat(scope.isCancelled()).isTrue();
		}

		@Test
		void killStopsWhatRunsWithoutCancelling() throws Exception {
			List<ProcessHandle> family = withChildren(scope.startReadingOutput(FAMILY, null));

			scope.kill();

			assertAllDieWithin(family, KILLED_WITHIN);
			assertThat(scope.isCancelled()).isFalse();
			Process next = scope.startReadingOutput(List.of("true"), null);
			assertThat(next.waitFor(5, TimeUnit.SECONDS)).isTrue();
		}

		@Test
		void closeKillsEveryProcessOfTheScope() throws Exception {
			List<ProcessHandle> first = withChildren(scope.startReadingOutput(FAMILY, null));
			Process second = scope.startReadingOutput(List.of("sleep", "30"), null);

			scope.close();

			assertAllDieWithin(first, KILLED_WITHIN);
			assertAllDieWithin(List.of(second.toHandle()), KILLED_WITHIN);
		}

		@Test
		void leavesOtherScopesAlone() throws Exception {
			try (ProcessScope other = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(1), Clock.systemUTC())) {
				Process theirs = other.startReadingOutput(List.of("sleep", "30"), null);
				Process ours = scope.startReadingOutput(List.of("sleep", "30"), null);

				scope.cancel();

				assertAllDieWithin(List.of(ours.toHandle()), KILLED_WITHIN);
				assertThat(theirs.isAlive()).isTrue();
			}
		}

	}

	@Nested
	class Deadline {

		@Test
		void expiresOnlyAfterItsLimit() {
			ProcessScope short_ = new ProcessScope(UUID.randomUUID(), Duration.ofSeconds(5), clock);
			assertThat(short_.isExpired()).isFalse();
			clock.advance(Duration.ofSeconds(5));
			assertThat(short_.isExpired()).isFalse();
			clock.advance(Duration.ofMillis(1));
			assertThat(short_.isExpired()).isTrue();
		}

		@Test
		void theDeadlineIsTheStartPlusTheLimit() {
			ProcessScope scoped = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(30), clock);
			assertThat(scoped.deadline()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
			assertThat(scoped.limit()).isEqualTo(Duration.ofMinutes(30));
		}

		@Test
		void limitToTightensButNeverGoesBeyondTheCeiling() {
			ProcessScope scoped = new ProcessScope(UUID.randomUUID(), Duration.ofMinutes(30), clock);
			scoped.limitTo(Duration.ofMinutes(3));
			assertThat(scoped.limit()).isEqualTo(Duration.ofMinutes(3));
			scoped.limitTo(Duration.ofMinutes(10));
			assertThat(scoped.limit()).as("a later, looser limit still stays under the ceiling")
				.isEqualTo(Duration.ofMinutes(10));
			scoped.limitTo(Duration.ofHours(2));
			assertThat(scoped.limit()).isEqualTo(Duration.ofMinutes(10));
			clock.advance(Duration.ofMinutes(11));
			assertThat(scoped.isExpired()).isTrue();
		}

		@Test
		void belongsToTheThreadThatOpenedIt() {
			assertThat(scope.owner()).isSameAs(Thread.currentThread());
			assertThat(scope.taskId()).isNotNull();
		}

	}

}
