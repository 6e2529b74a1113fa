package com.cct.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.cct.support.Api;
import com.cct.support.Jobs;
import com.cct.support.ServiceProcess;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Archives whose headers are built to exhaust the worker's memory while it only reads them (a 1.5 GB
 * GNU long name or PAX header in a 30 MB tar.gz, a 7z header that unpacks to 1.5 GB, a zip directory
 * of 350,000 records, ...), against a worker started as deployed: 1 GB of heap, exiting on
 * OutOfMemoryError. Each task ends failed with a reason a user can read; the worker is the same
 * process afterwards (an OutOfMemoryError would have ended it, and JobRunr would have run the task
 * again elsewhere); the next ordinary archive converts. The worker's peak resident memory (VmHWM,
 * reset before each case) is logged per case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileArchiveSystemTests {

	private static TestStack stack;

	private static Api api;

	@TempDir
	static Path files;

	private static final List<String> JVM = List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1");

	private static final List<String> measurements = new ArrayList<>();

	static ServiceProcess worker;

	static Api.User user;

	@BeforeAll
	static void replaceTheWorkerWithOneAtOneGigabyte() throws IOException {
		// a stack of its own: its worker is replaced, and may be killed by a case that still works
		stack = TestStack.isolated("hostilearchive");
		api = stack.api();
		stack.worker().stop(Duration.ofSeconds(70));
		Path jar = Path.of("target", "stacks", "hostile-archive-jars", "app-worker.jar").toAbsolutePath();
		Files.createDirectories(jar.getParent());
		Files.copy(Path.of(System.getProperty("cct.workerJar")), jar, StandardCopyOption.REPLACE_EXISTING);
		worker = new ServiceProcess(stack.database + "-worker-1g", jar, stack.workerEnvironment(stack.workerManagementPort),
				stack.workerManagementPort, JVM)
			.start()
			.awaitHealthy(Duration.ofSeconds(120));
		user = api.newUser();
	}

	@AfterAll
	static void stopTheStack() {
		measurements.forEach(System.out::println);
		if (worker != null && worker.isAlive()) {
			worker.stop(Duration.ofSeconds(70));
		}
		if (stack != null) {
			stack.stop();
		}
	}

	interface Input {

		Path write(Path folder) throws IOException;

	}

	/** All cases, or those whose title matches the regular expression in {@code -Dcct.hostile.only}. */
	static Stream<Arguments> hostileArchives() {
		String only = System.getProperty("cct.hostile.only");
		return allHostileArchives().filter(args -> only == null || Pattern.compile(only).matcher((String) args.get()[0]).find());
	}

	private static Stream<Arguments> allHostileArchives() {
		return Stream.of(
				Arguments.of("tar.gz: GNU long name (L) of 1.5 GB",
						(Input) folder -> HostileArchives.tarGzWithSpecialHeader(folder, "longname.tar.gz", 'L'),
						"zip", "an entry name longer than 64 KB"),
				Arguments.of("tar.gz: GNU long link (K) of 1.5 GB",
						(Input) folder -> HostileArchives.tarGzWithSpecialHeader(folder, "longlink.tar.gz", 'K'),
						"zip", "a link target longer than 64 KB"),
				Arguments.of("tar.gz: PAX header (x) of 1.5 GB",
						(Input) folder -> HostileArchives.tarGzWithSpecialHeader(folder, "pax.tar.gz", 'x'),
						"7z", "(PAX) header larger than 1 MB"),
				Arguments.of("tar.gz: global PAX header (g) of 1.5 GB",
						(Input) folder -> HostileArchives.tarGzWithSpecialHeader(folder, "globalpax.tar.gz", 'g'),
						"zip", "(PAX) header larger than 1 MB"),
				Arguments.of("tar.gz: gzip member name of 20 MB",
						(Input) folder -> HostileArchives.tarGzWithLongGzipName(folder, "gzipname.tar.gz", 20 << 20),
						"zip", "gzip header"),
				Arguments.of("zip: zip64 end record claiming 50 million entries",
						(Input) folder -> HostileArchives.zipClaimingMillionsOfEntries(folder, "claims.zip"), "tar.gz",
						"more than 10000 entries"),
				Arguments.of("zip: central directory of 350,000 records",
						(Input) folder -> HostileArchives.zipWithHugeDirectory(folder, "directory.zip", 350_000),
						"tar.gz", "more than 10000 entries"),
				Arguments.of("zip: a file 2000 folders deep",
						(Input) folder -> HostileArchives.zipNestedFolders(folder, "deep.zip", 2000), "tar.gz",
						"nested too deep"),
				Arguments.of("7z: compressed header unpacking to 1.5 GB",
						(Input) folder -> HostileArchives.sevenZWithHeaderBomb(folder, "headerbomb.7z"), "zip",
						"header is larger than 16 MB"),
				Arguments.of("7z: header coder with a 1.5 GB dictionary",
						(Input) folder -> HostileArchives.sevenZWithHugeDictionary(folder, "dictionary.7z"), "zip",
						"needs more memory to unpack"),
				Arguments.of("7z: header listing 1.2 million entries",
						(Input) folder -> HostileArchives.sevenZListingManyEntries(folder, "entries.7z", 1_200_000),
						"zip", "more than 10000 entries"));
	}

	@Order(1)
	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileArchives")
	void failsWithAReasonAndTheWorkerSurvives(String title, Input input, String target, String reason) throws Exception {
		Path upload = input.write(files);
		long pid = worker.pid();
		resetPeak(pid);
		long rssBefore = status(pid, "VmRSS");

		Api.Response created = api.upload(user.token(), upload, target);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String id = created.json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(90));

		long peak = status(pid, "VmHWM");
		measurements.add(String.format("%-55s %6.1f MB upload, worker RSS %5d MB before, peak %5d MB: %s", title,
				Files.size(upload) / 1e6, rssBefore / 1024, peak / 1024, done.get("error")));
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("failed");
		assertThat(done.get("error").asText()).as(done.toString())
			.contains(reason)
			.doesNotContain("/", "\\")
			.doesNotContainIgnoringCase("exception");
		assertThat(worker.isAlive()).as("the worker is still running").isTrue();
		assertThat(worker.pid()).isEqualTo(pid);
		assertThat(Jobs.timesStarted(stack, id)).as("run once, never orphaned and rerun").isEqualTo(1);
		Files.delete(upload);
	}

	@Order(2)
	@Test
	void theSameWorkerThenConvertsAnOrdinaryArchive() throws Exception {
		long pid = worker.pid();
		Path zip = files.resolve("ordinary.zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			for (String name : List.of("docs/readme.txt", "docs/notes.txt", "top.txt")) {
				out.putArchiveEntry(new ZipArchiveEntry(name));
				out.write(("content of " + name + "\n").getBytes(StandardCharsets.UTF_8));
				out.closeArchiveEntry();
			}
		}
		String id = api.upload(user.token(), zip, "tar.gz").json().get("id").asText();
		JsonNode done = Tasks.awaitEnd(api, user.token(), id, Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("processed");
		assertThat(worker.isAlive()).isTrue();
		assertThat(worker.pid()).isEqualTo(pid);
		assertThat(worker.isHealthy()).isTrue();
	}

	/** Resets the peak resident set size the kernel keeps for the process (writing 5 to clear_refs). */
	private static void resetPeak(long pid) {
		try {
			Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
		}
		catch (IOException ex) {
			// not allowed here: the peak then counts from the worker's start
		}
	}

	/** A field of /proc/PID/status in KiB (VmRSS, VmHWM), or -1 once the process is gone. */
	private static long status(long pid, String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// gone
		}
		return -1;
	}

}
