package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Jobs;
import com.cct.support.Media;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/** A worker JVM killed with SIGKILL in the middle of a conversion: the task still ends processed, once. */
class CrashSystemTests {

	static TestStack stack;

	static Api api;

	@TempDir
	static Path files;

	@BeforeAll
	static void startStack() {
		stack = TestStack.shared();
		api = stack.api();
	}

	@Test
	void aKilledWorkersConversionEndsProcessedExactlyOnceElsewhere() throws Exception {
		ServiceProcess second = stack.startWorker("systest-worker-crash", Ports.free()).awaitHealthy(Duration.ofSeconds(120));
		try {
			Api.User user = api.newUser();
			Path hour = Media.ffmpeg(files.resolve("hour.flac"), "-f", "lavfi", "-i",
					"sine=frequency=300:duration=3600:sample_rate=8000");
			String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
			Tasks.awaitStatus(api, user.token(), id, "processing", Duration.ofSeconds(30));
			List<ServiceProcess> workers = List.of(stack.worker(), second);
			await("ffmpeg running").atMost(Duration.ofSeconds(10))
				.until(() -> workers.stream().anyMatch(w -> !LifecycleSystemTests.ffmpegOf(w).isEmpty()));
			ServiceProcess victim = workers.stream().filter(w -> !LifecycleSystemTests.ffmpegOf(w).isEmpty()).findFirst().orElseThrow();
			List<ProcessHandle> orphans = LifecycleSystemTests.ffmpegOf(victim);

			victim.kill();
			// its ffmpeg dies with it (the kernel's parent-death signal)
			await("no ffmpeg left").atMost(Duration.ofSeconds(5)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
			if (victim == stack.worker()) {
				stack.replaceWorker();
			}

			JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(180));
			assertThat(done.get("status").asText()).isEqualTo("processed");
			assertThat(Jobs.timesStarted(stack, id)).isEqualTo(2);
			Path folder = LifecycleSystemTests.taskFolder(stack, id);
			try (var entries = Files.list(folder)) {
				Set<String> names = entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
				assertThat(names).containsExactlyInAnyOrder(done.get("originalFile").asText(), done.get("processedFile").asText());
			}
			assertThat(Media.probe(folder.resolve(done.get("processedFile").asText())).get("format").get("duration").asDouble())
				.isGreaterThan(3500);
		}
		finally {
			if (second.isAlive()) {
				second.stop(Duration.ofSeconds(20));
			}
		}
	}


	@Test
	void aStoppingWorkerFinishesItsConversionBeforeExiting() throws Exception {
		ServiceProcess second = stack.startWorker("systest-worker-drain", Ports.free()).awaitHealthy(Duration.ofSeconds(120));
		try {
			Api.User user = api.newUser();
			Path hour = Media.ffmpeg(files.resolve("drain.flac"), "-f", "lavfi", "-i",
					"sine=frequency=200:duration=3600:sample_rate=8000");
			String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
			Tasks.awaitStatus(api, user.token(), id, "processing", Duration.ofSeconds(30));
			List<ServiceProcess> workers = List.of(stack.worker(), second);
			await("ffmpeg running").atMost(Duration.ofSeconds(10))
				.until(() -> workers.stream().anyMatch(w -> !LifecycleSystemTests.ffmpegOf(w).isEmpty()));
			ServiceProcess busy = workers.stream().filter(w -> !LifecycleSystemTests.ffmpegOf(w).isEmpty()).findFirst().orElseThrow();

			busy.stop(Duration.ofSeconds(90));
			assertThat(busy.isAlive()).isFalse();
			if (busy == stack.worker()) {
				stack.replaceWorker();
			}
			JsonNode done = api.task(user.token(), id);
			assertThat(done.get("status").asText()).as("finished before the worker exited").isEqualTo("processed");
			assertThat(Jobs.timesStarted(stack, id)).isEqualTo(1);
		}
		finally {
			if (second.isAlive()) {
				second.stop(Duration.ofSeconds(70));
			}
		}
	}

}
