package com.cct.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One upload must not crash, starve or fill a worker. A stack of its own (its worker is killed on
 * purpose), with a small result ceiling and a short orphan timeout: a video whose frames grow
 * after a tiny first one, a few kilobytes of declared silence that would decode to a huge file, the
 * jail every ffmpeg runs in, and a file that keeps taking its worker down.
 */
class ContainmentSystemTests {

	private static final String CEILING = "100MB";

	private static TestStack stack;

	private static Api api;

	private static Api.User user;

	private static final List<ServiceProcess> extraWorkers = new ArrayList<>();

	@TempDir
	static Path files;

	@BeforeAll
	static void start() {
		stack = TestStack.isolated("containment", TestStack.SHARED_REDIS_PORT, TestStack.SHARED_PG_PORT,
				Map.of("CCT_MAX_OUTPUT_SIZE", CEILING, "CCT_WORKER_COUNT", "1",
						// a dead worker's jobs are orphans after 4 polls of 5 s instead of a minute
						"JOBRUNR_BACKGROUNDJOBSERVER_SERVERTIMEOUTPOLLINTERVALMULTIPLICAND", "4"));
		api = stack.api();
		user = api.newUser();
	}

	@AfterAll
	static void stop() {
		extraWorkers.stream().filter(ServiceProcess::isAlive).forEach(worker -> worker.stop(Duration.ofSeconds(20)));
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void aVideoWhoseFramesGrowPastThePixelLimitIsRefusedNotDecoded() throws Exception {
		Path small = Media.ffmpeg(files.resolve("small.h264"), "-f", "lavfi", "-i", "color=gray:s=64x64:d=1:r=5",
				"-c:v", "libx264", "-preset", "ultrafast", "-f", "h264");
		Path huge = Media.ffmpeg(files.resolve("huge.h264"), "-f", "lavfi", "-i", "color=gray:s=8192x8192:d=0.2:r=5",
				"-c:v", "libx264", "-preset", "ultrafast", "-f", "h264");
		Path joined = files.resolve("joined.h264");
		Files.write(joined, concat(Files.readAllBytes(small), Files.readAllBytes(huge)));
		// the container's header speaks of the first stream only: 64x64
		Path video = Media.ffmpeg(files.resolve("growing.mp4"), "-f", "h264", "-i", joined.toString(), "-c", "copy");
		assertThat(Files.size(video)).isLessThan(1_000_000);
		long workerPid = worker().pid();

		JsonNode failed = convert(video, "webm");

		assertThat(failed.get("status").asText()).isEqualTo("failed");
		assertThat(failed.get("error").asText()).contains("larger than the limit").contains("pixels")
			.doesNotContain("/").doesNotContain("Exception");
		assertThat(worker().pid()).as("the same worker JVM").isEqualTo(workerPid);
		System.out.println("[containment] growing video: worker VmHWM " + peakRssKb(workerPid) + " kB");
		anOrdinaryTaskStillConverts();
	}

	@Test
	void tinyFilesDeclaringHugeCanvasesOrThousandsOfChannelsAreRefused() throws Exception {
		long workerPid = worker().pid();
		// a WAV header claiming 65535 channels over 4 KB of samples
		ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
		fmt.putShort((short) 1).putShort((short) 65535).putInt(48000).putInt(48000 * 2 * 65535).putShort((short) -2)
			.putShort((short) 16);
		byte[] samples = new byte[4096];
		ByteBuffer wav = ByteBuffer.allocate(44 + samples.length).order(ByteOrder.LITTLE_ENDIAN);
		wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples.length)
			.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).put(fmt.array())
			.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples.length).put(samples);
		Path channels = Files.write(files.resolve("channels.wav"), wav.array());
		// a GIF whose logical screen is 65535x65535 around a single pixel
		ByteBuffer gif = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
		gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) -1).putShort((short) -1)
			.put(new byte[] { (byte) 0x80, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, ',' })
			.putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
			.put(new byte[] { 0, 2, 2, 0x44, 1, 0, ';' });
		Path canvas = Files.write(files.resolve("canvas.gif"), Arrays.copyOf(gif.array(), gif.position()));

		for (Path hostile : List.of(channels, canvas)) {
			JsonNode failed = convert(hostile, hostile.toString().endsWith(".wav") ? "mp3" : "png");
			assertThat(failed.get("status").asText()).as(hostile.getFileName().toString()).isEqualTo("failed");
			assertThat(failed.get("error").asText()).isNotBlank().doesNotContain("/").doesNotContain("Exception");
		}
		assertThat(worker().pid()).isEqualTo(workerPid);
		anOrdinaryTaskStillConverts();
	}

	@Test
	void aResultOverTheCeilingFailsAndLeavesNoPartialFile() throws Exception {
		// five minutes of 5.1 silence at 192 kHz: a few hundred KB of FLAC, 690 MB of WAV
		Path silence = Media.ffmpeg(files.resolve("silence.flac"), "-f", "lavfi", "-i",
				"anullsrc=channel_layout=5.1:sample_rate=192000", "-t", "300");
		assertThat(Files.size(silence)).isLessThan(2_000_000);

		JsonNode failed = convert(silence, "wav");

		assertThat(failed.get("status").asText()).isEqualTo("failed");
		assertThat(failed.get("error").asText()).isEqualTo("The result would be larger than the limit of 100 MB.");
		try (var left = Files.list(stack.taskFolder(failed.get("id").asText()))) {
			assertThat(left.map(path -> path.getFileName().toString()).collect(Collectors.toSet()))
				.as("only the original is left").containsExactly(failed.get("originalFile").asText());
		}
		anOrdinaryTaskStillConverts();
	}

	@Test
	void ffmpegRunsJailedWithoutTheWorkersSecrets() throws Exception {
		Path hour = Media.hourOfAudio(files, "jail.flac");
		String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
		ProcessHandle ffmpeg = await("ffmpeg running").atMost(Duration.ofSeconds(60))
			.until(() -> worker().ffmpegChildren().stream().findFirst(), found -> found.isPresent())
			.orElseThrow();
		try {
			String environment = Files.readString(Path.of("/proc", Long.toString(ffmpeg.pid()), "environ"),
					StandardCharsets.UTF_8);
			assertThat(environment).doesNotContain("SPRING_").doesNotContain("CCT_").doesNotContain("JAVA")
				.contains("PATH=");
			String limits = Files.readString(Path.of("/proc", Long.toString(ffmpeg.pid()), "limits"));
			assertThat(limitOf(limits, "Max address space")).isEqualTo(2L * 1024 * 1024 * 1024);
			assertThat(limitOf(limits, "Max file size")).isLessThanOrEqualTo(100L * 1024 * 1024);
			assertThat(limitOf(limits, "Max core file size")).isZero();
			assertThat(limitOf(limits, "Max cpu time")).isPositive();
			System.out.println("[containment] jailed ffmpeg VmHWM " + peakRssKb(ffmpeg.pid()) + " kB");
		}
		finally {
			api.post("/api/tasks/" + id + "/cancel", user.token());
		}
		assertThat(Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(30)).get("status").asText())
			.isEqualTo("cancelled");
	}

	@Test
	void aFileThatKeepsKillingItsWorkerIsFailedAfterTheSecondCrash() throws Exception {
		Path hour = Media.hourOfAudio(files, "poison.flac");
		// a worker to take the job over is up before the upload, so the conversion cannot end first
		extraWorkers.add(stack.startWorker(stack.database + "-worker-1", Ports.free()).awaitHealthy(Duration.ofSeconds(120)));
		String id = api.upload(user.token(), hour, "mp3").json().get("id").asText();
		for (int crash = 1; crash <= 2; crash++) {
			ServiceProcess victim = await("ffmpeg running, crash " + crash).atMost(Duration.ofSeconds(180))
				.pollInterval(Duration.ofMillis(100))
				.until(ContainmentSystemTests::workerConverting, found -> found != null);
			System.out.println("[containment] crash " + crash + ": killing worker " + victim.pid() + " while it runs "
					+ victim.ffmpegChildren());
			victim.kill();
			if (crash == 1) {
				// a spare worker again, up before the orphan is handed on
				extraWorkers.add(stack.startWorker(stack.database + "-worker-2", Ports.free())
					.awaitHealthy(Duration.ofSeconds(120)));
			}
		}
		JsonNode failed = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(180));
		try (var db = stack.database(); var crashes = db.createStatement()) {
			var row = crashes.executeQuery("select crashes from tasks where id = '" + id + "'");
			row.next();
			System.out.println("[containment] crashes counted: " + row.getInt(1));
		}
		assertThat(failed.get("status").asText()).isEqualTo("failed");
		assertThat(failed.get("error").asText()).isEqualTo("This file made the converter crash; it was not retried.");
		anOrdinaryTaskStillConverts();
	}

	private static ServiceProcess workerConverting() {
		List<ServiceProcess> workers = new ArrayList<>(extraWorkers);
		workers.add(stack.worker());
		return workers.stream().filter(ServiceProcess::isAlive).filter(w -> !w.ffmpegChildren().isEmpty()).findFirst()
			.orElse(null);
	}

	/** A live worker of the stack (the first one may have been killed by the crash test). */
	private static ServiceProcess worker() {
		if (stack.worker().isAlive()) {
			return stack.worker();
		}
		return extraWorkers.stream().filter(ServiceProcess::isAlive).findFirst().orElseThrow();
	}

	private static JsonNode convert(Path file, String target) {
		String id = api.upload(user.token(), file, target).json().get("id").asText();
		return Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(120));
	}

	private static void anOrdinaryTaskStillConverts() {
		Path song = Media.audio(files, "ordinary-" + System.nanoTime() + ".wav", 1);
		assertThat(convert(song, "mp3").get("status").asText()).isEqualTo("processed");
	}

	private static long limitOf(String limits, String name) {
		String line = limits.lines().filter(l -> l.startsWith(name)).findFirst().orElseThrow();
		String soft = line.substring(name.length()).trim().split("\\s+")[0];
		return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
	}

	private static long peakRssKb(long pid) throws IOException {
		return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
			.stream()
			.filter(line -> line.startsWith("VmHWM:"))
			.map(line -> Long.parseLong(line.replaceAll("\\D", "")))
			.findFirst()
			.orElse(-1L);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
