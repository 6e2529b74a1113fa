package com.cct.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

import com.cct.support.Api;
import com.cct.support.EventStream;
import com.cct.support.Jobs;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The service spread over hosts that share nothing but a network: PostgreSQL, Redis and an S3 server
 * (S3Proxy) on a services host, the web jar behind the project's own nginx config (port 8000) on a web host, a worker jar on
 * each of two worker hosts, every host a network namespace of its own on a private test subnet
 * ({@link TestNetwork}); the test JVM is the client. Then one worker host's cable is pulled in the
 * middle of a long conversion.
 *
 * <p>
 * Files: {@code CCT_STORAGE_BACKEND=s3}, every host with folders of its own;
 * {@link #storageEnvironment} is the single place that says so, and {@link #storedFiles} the single
 * place that looks at the stored objects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("serial") // timed under load: runs alone, after the parallel suites (see the pom)
class MultiHostSystemTests {

	private static final Logger log = LoggerFactory.getLogger(MultiHostSystemTests.class);

	/** JobRunr's poll (5 s, its minimum for SQL) times this: a worker silent for 20 s is dead, its jobs orphans. */
	static final int ORPHAN_POLLS = 4;

	static final Duration ORPHAN_TIMEOUT = Duration.ofSeconds(5L * ORPHAN_POLLS);

	static TestNetwork network;

	static ServicesHost services;

	static Path dir;

	static final List<HostProcess> processes = new ArrayList<>();

	static final Map<String, HostProcess> workers = new HashMap<>();

	static Api api;

	static Api.User user;

	@BeforeAll
	static void startHosts() throws Exception {
		Runtime.getRuntime().addShutdownHook(new Thread(MultiHostSystemTests::stopHosts));
		dir = Files.createTempDirectory("cct-multihost-");
		network = TestNetwork.create(List.of("web", "worker1", "worker2"));
		services = new ServicesHost(network.host("services")).start();
		Path appJar = copy(System.getProperty("cct.appJar", "missing"));
		Path workerJar = copy(System.getProperty("cct.workerJar", "missing"));

		TestNetwork.Host web = network.host("web");
		HostProcess app = started(HostProcess.java("web", web, appJar, webEnvironment(), "-Xmx256m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1"));
		for (String name : List.of("worker1", "worker2")) {
			HostProcess worker = started(HostProcess.java(name, network.host(name), workerJar, workerEnvironment(name),
					"-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
			workers.put(name, worker);
		}
		app.awaitUp("http://" + web.address() + ":9090/actuator/health", Duration.ofSeconds(180));
		for (String name : workers.keySet()) {
			workers.get(name).awaitUp(managementUrl(name, "/actuator/health"), Duration.ofSeconds(180));
		}
		HostProcess nginx = started(startNginx(web));
		nginx.awaitUp("http://" + web.address() + ":8000/nginx-health", Duration.ofSeconds(20));
		api = new Api("http://" + web.address() + ":8000");
		user = api.newUser();
	}

	@AfterAll
	static synchronized void stopHosts() {
		for (HostProcess process : processes) {
			process.stop(Duration.ofSeconds(15));
		}
		processes.clear();
		if (services != null) {
			services.close();
			services = null;
		}
		if (network != null) {
			network.close();
			network = null;
		}
		if (dir != null) {
			FileSystemUtils.deleteRecursively(dir.toFile());
			dir = null;
		}
	}

	@Test
	@Order(1)
	void uploadsProgressAndDownloadsGoThroughNginxWhileBothWorkerHostsConvert() throws Exception {
		Path media = Files.createDirectories(dir.resolve("media"));
		List<Path> inputs = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			inputs.add(Media.audio(media, "tone-" + i + ".wav", 30 + i));
		}
		List<String> ids = new ArrayList<>();
		for (Path input : inputs) {
			Api.Response created = api.upload(user.token(), input, "mp3");
			assertThat(created.status()).as(created.text()).isEqualTo(201);
			ids.add(created.json().get("id").asText());
		}

		List<EventStream.Event> events = EventStream.readToEnd(api.base(), user.token(), ids.get(5), Duration.ofSeconds(180));
		assertThat(events).extracting(EventStream.Event::name).contains("progress");
		assertThat(events.get(events.size() - 1).data().get("status").asText()).isEqualTo("processed");

		for (int i = 0; i < ids.size(); i++) {
			JsonNode task = Tasks.awaitEnd(api, user.token(), ids.get(i), Duration.ofSeconds(180));
			assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("processed");
			byte[] original = download(task.get("originalFile").asText());
			assertThat(original).as("the original, downloaded through nginx").isEqualTo(Files.readAllBytes(inputs.get(i)));
			byte[] result = download(task.get("processedFile").asText());
			assertThat(sha256(result)).as("the result through nginx and straight from the web process")
				.isEqualTo(sha256(downloadFromApp(task.get("processedFile").asText())));
			Path copy = Media.write(media.resolve("result-" + i + ".mp3"), result);
			assertThat(Media.probe(copy).get("format").get("format_name").asText()).isEqualTo("mp3");
		}
		Map<String, Integer> perWorker = processedPerWorker();
		log.info("multihost: {} tasks through nginx, processed per worker host {}", ids.size(), perWorker);
		assertThat(perWorker.values()).as("both worker hosts converted (%s)", perWorker).allMatch(count -> count > 0);
	}

	@Test
	@Order(2)
	void aWorkerHostCutOffMidConversionIsReplacedAndStaysOutOnceBack() throws Exception {
		Path long3h = Media.ffmpeg(dir.resolve("three-hours.flac"), "-f", "lavfi", "-i",
				"sine=frequency=300:duration=10800:sample_rate=8000");
		Map<String, Integer> before = processedPerWorker();
		String id = api.upload(user.token(), long3h, "mp3").json().get("id").asText();
		String victim = await("a worker host converting the long file").atMost(Duration.ofSeconds(120))
			.until(MultiHostSystemTests::converting, name -> name != null);
		String other = victim.equals("worker1") ? "worker2" : "worker1";
		await("the conversion under way").atMost(Duration.ofSeconds(60))
			.until(() -> api.task(user.token(), id).get("progress").asInt() >= 2);

		Instant cut = Instant.now();
		network.cut(network.host(victim));
		int progressAtCut = api.task(user.token(), id).get("progress").asInt();

		// JobRunr's bookkeeping on top of the orphan timeout (measured 34-48 s in all): the job's last update
		// ages past the timeout while the other server notices the dead one (one poll), then the job fails
		// as orphaned, waits out the retry back-off (seconds) and is enqueued and taken (a poll each)
		await("the other worker host takes the orphaned job").atMost(ORPHAN_TIMEOUT.plusSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> !workers.get(other).ffmpegChildren().isEmpty());
		Duration takenOver = Duration.between(cut, Instant.now());
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(300));
		Duration finished = Duration.between(cut, Instant.now());
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		Outcome settled = outcome(id);

		boolean stillConverting = !workers.get(victim).ffmpegChildren().isEmpty();
		Instant restored = Instant.now();
		network.restore(network.host(victim));
		// back on the network: it reads the queue again (its gauge is a number once PostgreSQL answers)
		await("the cut-off worker host back").atMost(Duration.ofSeconds(120)).until(() -> queueGauge(victim) >= 0);
		Duration back = Duration.between(restored, Instant.now());
		// and over the next orphan timeout and a half it must neither write a result nor move the task
		await("nothing changes after the link is back").during(ORPHAN_TIMEOUT.plusSeconds(10))
			.atMost(ORPHAN_TIMEOUT.plusSeconds(40))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> outcome(id).equals(settled));

		Map<String, Integer> after = processedPerWorker();
		assertThat(after.get(victim)).as("the cut-off worker host counts no processed conversion of it")
			.isEqualTo(before.get(victim));
		assertThat(after.get(other)).isEqualTo(before.get(other) + 1);
		assertThat(settled.jobState()).isEqualTo("SUCCEEDED");
		assertThat(settled.started()).as("started on the cut-off host, then once more on the other").isEqualTo(2);
		assertThat(settled.stored()).as("the original and one result").hasSize(2);
		log.info("multihost partition: cut {} at {}% of the conversion; {} took the job over after {} s, processed it {} s "
				+ "after the cut; {} (its own ffmpeg still running then: {}) back on the network {} s after the link came "
				+ "up; then nothing changed for {} s; processed per worker host {}", victim, progressAtCut, other,
				takenOver.toSeconds(), finished.toSeconds(), victim, stillConverting, back.toSeconds(),
				ORPHAN_TIMEOUT.plusSeconds(10).toSeconds(), after);
	}

	/**
	 * What the task and its job look like, the result's digest and the stored files (name, size, last
	 * write): equal before and after the link comes back.
	 */
	record Outcome(String status, String finishedAt, long processedSize, String jobState, int started, String digest,
			List<String> stored) {
	}

	private static Outcome outcome(String id) throws SQLException, IOException {
		JsonNode task = api.task(user.token(), id);
		try (Connection db = services.database()) {
			return new Outcome(task.get("status").asText(), task.get("finishedAt").asText(),
					task.get("processedSizeBytes").asLong(), Jobs.state(db, id), Jobs.timesStarted(db, id),
					sha256(download(task.get("processedFile").asText())), storedFiles(id));
		}
	}

	/** The worker host whose ffmpeg is running, or null. */
	private static String converting() {
		return workers.entrySet()
			.stream()
			.filter(worker -> !worker.getValue().ffmpegChildren().isEmpty())
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	/** Conversions each worker host counted as processed ({@code cct_conversions_seconds_count}). */
	private static Map<String, Integer> processedPerWorker() {
		Map<String, Integer> counts = new HashMap<>();
		Pattern line = Pattern.compile("^cct_conversions_seconds_count\\{[^}]*outcome=\"processed\"[^}]*} ([0-9.]+)$",
				Pattern.MULTILINE);
		for (String name : workers.keySet()) {
			Matcher matcher = line.matcher(HostProcess.text(managementUrl(name, "/actuator/prometheus")));
			double sum = 0;
			while (matcher.find()) {
				sum += Double.parseDouble(matcher.group(1));
			}
			counts.put(name, (int) sum);
		}
		return counts;
	}

	/** The worker's cct_jobs_waiting gauge; -1 while it cannot tell (NaN: the database is away). */
	private static double queueGauge(String worker) {
		Matcher matcher = Pattern.compile("^cct_jobs_waiting\\{[^}]*} ([0-9.]+|NaN)$", Pattern.MULTILINE)
			.matcher(HostProcess.text(managementUrl(worker, "/actuator/prometheus")));
		return (matcher.find() && !"NaN".equals(matcher.group(1))) ? Double.parseDouble(matcher.group(1)) : -1;
	}

	private static String managementUrl(String worker, String path) {
		return "http://" + network.host(worker).address() + ":9091" + path;
	}

	private static byte[] download(String name) {
		Api.Response response = api.get("/api/files/" + name, user.token());
		assertThat(response.status()).as("download %s: %s", name, response.status()).isEqualTo(200);
		return response.bytes();
	}

	private static byte[] downloadFromApp(String name) {
		Api direct = new Api("http://" + network.host("web").address() + ":8080");
		Api.Response response = direct.get("/api/files/" + name, user.token());
		assertThat(response.status()).isEqualTo(200);
		return response.bytes();
	}

	// --- the hosts' configuration ----------------------------------------------------------------

	/**
	 * Where the files live, for every process: the bucket of the S3 server on the services host
	 * ({@code s3} in every host's /etc/hosts), and folders of each host's own (its scratch, and a
	 * storage root nothing is written to): the hosts share nothing but the network.
	 */
	private static Map<String, String> storageEnvironment(String host) {
		Map<String, String> env = new HashMap<>();
		env.put("CCT_STORAGE_BACKEND", "s3");
		env.put("CCT_S3_ENDPOINT", "http://s3:" + ServicesHost.S3_PORT);
		env.put("CCT_S3_REGION", "us-east-1");
		env.put("CCT_S3_BUCKET", ServicesHost.BUCKET);
		env.put("CCT_S3_ACCESS_KEY", ServicesHost.S3_ACCESS_KEY);
		env.put("CCT_S3_SECRET_KEY", ServicesHost.S3_SECRET_KEY);
		env.put("CCT_S3_PATH_STYLE", "true");
		env.put("CCT_STORAGE_ROOT", dir.resolve("files-" + host).toString());
		env.put("CCT_SCRATCH_DIR", dir.resolve("scratch-" + host).toString());
		return env;
	}

	/** The stored objects of a task, each "name size last-write" (as the S3 server's filesystem backend keeps them). */
	private static List<String> storedFiles(String taskId) throws SQLException, IOException {
		try (Connection db = services.database();
				PreparedStatement sql = db.prepareStatement("select user_id from tasks where id = ?::uuid")) {
			sql.setString(1, taskId);
			try (ResultSet rows = sql.executeQuery()) {
				rows.next();
				Path folder = services.bucketFolder().resolve(rows.getString(1)).resolve(taskId);
				try (var entries = Files.list(folder)) {
					return entries.map(MultiHostSystemTests::describe).sorted().toList();
				}
			}
		}
	}

	private static String describe(Path file) {
		try {
			return file.getFileName() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return file.getFileName() + " gone";
		}
	}

	private static Map<String, String> commonEnvironment(String host) {
		Map<String, String> env = new HashMap<>(storageEnvironment(host));
		env.put("SPRING_PROFILES_ACTIVE", "multihost");
		// compose's service names, mapped to the services host in every host's /etc/hosts
		env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/" + ServicesHost.DATABASE);
		env.put("SPRING_DATASOURCE_USERNAME", "postgres");
		env.put("CCT_REDIS_URL", "redis://redis:6379");
		return env;
	}

	private static Map<String, String> webEnvironment() {
		Map<String, String> env = commonEnvironment("web");
		env.put("SERVER_PORT", "8080");
		env.put("MANAGEMENT_SERVER_PORT", "9090");
		env.put("JOBRUNR_DASHBOARD_PORT", "8001");
		env.put("CCT_JWT_SECRET", "multihost-tests-secret-0123456789abcdef-0123456789");
		env.put("CCT_DASHBOARD_USERNAME", "operator");
		env.put("CCT_DASHBOARD_PASSWORD", "multihost-dashboard");
		env.put("CCT_MAX_UPLOAD_SIZE", "256MB");
		return env;
	}

	private static Map<String, String> workerEnvironment(String host) {
		Map<String, String> env = commonEnvironment(host);
		env.put("MANAGEMENT_SERVER_PORT", "9091");
		// one conversion at a time per host: the first batch must spread over both
		env.put("CCT_WORKER_COUNT", "1");
		env.put("CCT_MAX_JOB_DURATION", "10m");
		env.put("JOBRUNR_BACKGROUNDJOBSERVER_SERVERTIMEOUTPOLLINTERVALMULTIPLICAND", Integer.toString(ORPHAN_POLLS));
		env.put("CCT_PUBLIC_URL", "http://app:8000");
		return env;
	}

	/** nginx with the project's config, rendered as the image renders it; only its pid file moves off the shared /tmp. */
	private static HostProcess startNginx(TestNetwork.Host web) throws IOException {
		Path prefix = dir.resolve("nginx");
		TestNetwork.run("env", "CCT_MAX_UPLOAD_SIZE=256MB", "sh", Path.of("..", "scripts", "render-nginx.sh").toString(),
				prefix.toString());
		Path conf = prefix.resolve("nginx.conf");
		String config = Files.readString(conf);
		assertThat(config).contains("pid /tmp/nginx.pid;", "server app:8080;", "listen 8000;");
		Files.writeString(conf, config.replace("pid /tmp/nginx.pid;", "pid " + prefix.resolve("nginx.pid") + ";"));
		Files.createDirectories(prefix.resolve("logs"));
		return HostProcess.start("nginx", web,
				List.of(nginxBinary(), "-p", prefix + "/", "-c", conf.toString(), "-e", "stderr", "-g", "daemon off;"),
				Map.of());
	}

	private static String nginxBinary() {
		for (String candidate : new String[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		return "nginx";
	}

	private static HostProcess started(HostProcess process) {
		processes.add(process);
		return process;
	}

	/** A private copy of the jar, so a rebuild while the test runs cannot pull classes from under it. */
	private static Path copy(String jar) throws IOException {
		Path source = Path.of(jar);
		if (!Files.isRegularFile(source)) {
			throw new IllegalStateException("Jar not found: " + jar + " (run `mvn verify` from the root, not `mvn test`)");
		}
		Path target = Files.createDirectories(dir.resolve("jars")).resolve(source.getFileName());
		return Files.copy(source, target);
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
