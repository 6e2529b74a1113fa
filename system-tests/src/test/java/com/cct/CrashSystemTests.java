package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
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

/**
 * A worker JVM killed with SIGKILL in the middle of a conversion: the task still ends processed, once.
 * The workers killed and stopped here are this class's own, on a stack of its own (its own database,
 * so no worker of the suite's stack can take the job), never the suite's.
 */
class CrashSystemTests {

	static TestStack stack;

	static Api api;

	@TempDir
	static Path files;

	/** The stack's workers, its first and those started since; killed and stopped ones included. */
	static final List<ServiceProcess> workers = new ArrayList<>();

	@BeforeAll
	static void startStack() {
		stack = TestStack.isolated("crash");
		api = stack.api();
		workers.add(stack.worker());
	}

	@AfterAll
	static void stopStack() {
		for (ServiceProcess worker : workers) {
			if (worker != stack.worker()) {
				worker.stop(Duration.ofSeconds(70));
			}
		}
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void aKilledWorkersConversionEndsProcessedExactlyOnceElsewhere() throws Exception {
		List<ServiceProcess> pair = twoLiveWorkers();
		Api.User user = api.newUser();
		Path hour = Media.hourOfAudio(files, "hour.flac");
		String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
		ServiceProcess victim = workerConverting(user, id, pair);
		List<ProcessHandle> orphans = victim.ffmpegChildren();

		victim.kill();
		// its ffmpeg dies with it (the kernel's parent-death signal)
		await("no ffmpeg left").atMost(Duration.ofSeconds(5)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));

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

	@Test
	void aStoppingWorkerFinishesItsConversionBeforeExiting() throws Exception {
		List<ServiceProcess> pair = twoLiveWorkers();
		Api.User user = api.newUser();
		Path hour = Media.hourOfAudio(files, "drain.flac");
		String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
		ServiceProcess busy = workerConverting(user, id, pair);

		busy.stop(Duration.ofSeconds(90));
		assertThat(busy.isAlive()).isFalse();
		JsonNode done = api.task(user.token(), id);
		assertThat(done.get("status").asText()).as("finished before the worker exited").isEqualTo("processed");
		assertThat(Jobs.timesStarted(stack, id)).isEqualTo(1);
	}

	/**
	 * Two running workers on the class's stack, for the job to land on one and move to the other:
	 * the ones still alive, topped up with new ones where an earlier test killed or stopped one.
	 */
	private static List<ServiceProcess> twoLiveWorkers() {
		while (workers.stream().filter(ServiceProcess::isAlive).count() < 2) {
			ServiceProcess worker = stack.startWorker(stack.database + "-worker-" + (workers.size() + 1), Ports.free());
			workers.add(worker);
			worker.awaitHealthy(Duration.ofSeconds(120));
		}
		return workers.stream().filter(ServiceProcess::isAlive).toList();
	}

	/** Which of the two workers runs the task's ffmpeg, once one does. */
	private static ServiceProcess workerConverting(Api.User user, String taskId, List<ServiceProcess> pair) {
		Tasks.awaitStatus(api, user.token(), taskId, "processing", Duration.ofSeconds(30));
		return await("ffmpeg running").atMost(Duration.ofSeconds(10))
			.until(() -> pair.stream().filter(w -> !w.ffmpegChildren().isEmpty()).findFirst(), Optional::isPresent)
			.orElseThrow();
	}

}
