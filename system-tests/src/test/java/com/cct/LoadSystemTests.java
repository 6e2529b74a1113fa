package com.cct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * 50 concurrent clients from 5 accounts upload and poll against the web process and two workers:
 * no 5xx, no lost or duplicated task, every list exact. Runs {@code cct.load.seconds} (30 in make
 * test; make bench can run it longer).
 */
@Tag("serial") // timed under load: runs alone, after the parallel suites (see the pom)
class LoadSystemTests extends OnSharedStack {

	@Test
	void fiftyClientsLoseAndDuplicateNothing() throws Exception {
		long seconds = Long.getLong("cct.load.seconds", 30);
		ServiceProcess second = stack.startWorker("systest-worker-load", Ports.free()).awaitHealthy(Duration.ofSeconds(120));
		try {
			List<Api.User> accounts = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				accounts.add(api.newUser());
			}
			Path image = Media.ffmpeg(files.resolve("tile.png"), "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1");
			Path sound = Media.audio(files, "blip.wav", 1);
			Map<String, Set<String>> created = new ConcurrentHashMap<>();
			accounts.forEach(a -> created.put(a.username(), ConcurrentHashMap.newKeySet()));
			AtomicInteger serverErrors = new AtomicInteger();
			AtomicInteger requests = new AtomicInteger();
			List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);

			ExecutorService clients = Executors.newFixedThreadPool(50);
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < 50; c++) {
				Api.User account = accounts.get(c % accounts.size());
				boolean audio = c % 2 == 0;
				running.add(clients.submit(() -> {
					while (System.nanoTime() < deadline) {
						Api.Response upload = api.upload(account.token(), audio ? sound : image, audio ? "mp3" : "bmp");
						requests.incrementAndGet();
						if (upload.status() >= 500) {
							serverErrors.incrementAndGet();
							errors.add("upload " + upload.status() + " " + upload.text());
							continue;
						}
						String id = upload.json().get("id").asText();
						created.get(account.username()).add(id);
						// a client watching its task: a read every 200 ms until the task ends (at most as long
						// as the check below waits for all of an account's tasks)
						await("task " + id + " ends").atMost(Duration.ofMinutes(3))
							.pollInSameThread()
							.pollInterval(Duration.ofMillis(200))
							.until(() -> {
								Api.Response read = api.get("/api/tasks/" + id, account.token());
								requests.incrementAndGet();
								if (read.status() >= 500) {
									serverErrors.incrementAndGet();
									errors.add("read " + read.status());
									return false;
								}
								String status = read.json().get("status").asText();
								return status.equals("processed") || status.equals("failed");
							});
					}
					return null;
				}));
			}
			for (Future<?> client : running) {
				client.get(seconds + 300, TimeUnit.SECONDS);
			}
			clients.shutdown();

			assertThat(serverErrors.get()).as("5xx answers of %d requests: %s", requests.get(), errors).isZero();
			for (Api.User account : accounts) {
				Set<String> expected = created.get(account.username());
				await("all of " + account.username() + " processed").atMost(Duration.ofMinutes(3))
					.pollInterval(Duration.ofSeconds(1))
					.until(() -> statuses(account).values().stream().allMatch("processed"::equals));
				Map<String, String> listed = statuses(account);
				assertThat(listed.keySet()).as("the list holds exactly the tasks created").isEqualTo(expected);
				assertThat(listed.values()).containsOnly("processed");
			}
			System.out.printf("load: %d requests, %d tasks in %d s, no 5xx%n", requests.get(),
					created.values().stream().mapToInt(Set::size).sum(), seconds);
		}
		finally {
			second.stop(Duration.ofSeconds(20));
		}
	}

	private static Map<String, String> statuses(Api.User account) {
		JsonNode list = api.get("/api/tasks?max=1000", account.token()).json();
		Map<String, String> result = new java.util.LinkedHashMap<>();
		Set<String> seen = new HashSet<>();
		for (JsonNode task : list) {
			String id = task.get("id").asText();
			assertThat(seen.add(id)).as("duplicate %s in the list", id).isTrue();
			result.put(id, task.get("status").asText());
		}
		return result;
	}

}
