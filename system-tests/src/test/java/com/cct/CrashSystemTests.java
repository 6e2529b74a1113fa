package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Jobs;
import com.cct.support.Media;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.cct.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;

/** A worker JVM killed with SIGKILL in the middle of a conversion: the task still ends processed, once. */
class CrashSystemTests extends OnSharedStack {

	@Test
	void aKilledWorkersConversionEndsProcessedExactlyOnceElsewhere() throws Exception {
		ServiceProcess second = stack.startWorker("systest-worker-crash", Ports.free()).awaitHealthy(Duration.ofSeconds(120));
		try {
			Api.User user = api.newUser();
			Path hour = Media.hourOfAudio(files, "hour.flac");
			String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
			ServiceProcess victim = workerConverting(user, id, second);
			List<ProcessHandle> orphans = victim.ffmpegChildren();

			victim.kill();
			// its ffmpeg dies with it (the kernel's parent-death signal)
			await("no ffmpeg left").atMost(Duration.ofSeconds(5)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
			if (victim == stack.worker()) {
				stack.replaceWorker();
			}

			JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(180));
			assertThat(done.get("status").asText()).isEqualTo("processed");
			assertThat(Jobs.timesStarted(stack, id)).isEqualTo(2);
			Path folder = stack.taskFolder(id);
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
			Path hour = Media.hourOfAudio(files, "drain.flac");
			String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
			ServiceProcess busy = workerConverting(user, id, second);

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

	/** Which of the two workers (the suite's and the test's own) runs the task's ffmpeg, once it does. */
	private static ServiceProcess workerConverting(Api.User user, String taskId, ServiceProcess second) {
		Tasks.awaitStatus(api, user.token(), taskId, "processing", Duration.ofSeconds(30));
		List<ServiceProcess> workers = List.of(stack.worker(), second);
		return await("ffmpeg running").atMost(Duration.ofSeconds(10))
			.until(() -> workers.stream().filter(w -> !w.ffmpegChildren().isEmpty()).findFirst(), Optional::isPresent)
			.orElseThrow();
	}

}
