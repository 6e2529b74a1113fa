package com.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.cct.format.Format;
import com.cct.storage.FileStorage;
import com.cct.task.Task;
import com.cct.task.TaskStatus;

/** Tasks, file trees and the system archivers (7z, tar, unzip, zip) that check our output independently. */
final class ArchiveFixtures {

	private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

	private ArchiveFixtures() {
	}

	static Task task(String fileName, String originalFormat, String newFormat) {
		String originalExtension = Format.fromId(originalFormat).map(Format::extension).orElse("bin");
		return new Task(UUID.randomUUID(), UUID.randomUUID(), fileName, Format.fromId(originalFormat).orElse(null),
				Format.fromId(newFormat).orElseThrow(), null,
				TaskStatus.PROCESSING, 0, 0, null, FileStorage.newStoredName(originalExtension),
				FileStorage.newStoredName(Format.fromId(newFormat).orElseThrow().extension()), null, false, null,
				Instant.now(), Instant.now(), null, 0);
	}

	static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** Every path under {@code root}, relative, mapped to {@code folder} or the SHA-256 of its bytes. */
	static SortedMap<String, String> snapshot(Path root) throws IOException {
		SortedMap<String, String> entries = new TreeMap<>();
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.filter(path -> !path.equals(root)).toList()) {
				String name = root.relativize(path).toString();
				if (Files.isSymbolicLink(path)) {
					entries.put(name, "link");
				}
				else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
					entries.put(name, "folder");
				}
				else {
					entries.put(name, sha256(Files.readAllBytes(path)));
				}
			}
		}
		return entries;
	}

	/** Unpacks with the system's own tools, never Commons Compress. */
	static void extractWithSystemTool(Format format, Path archive, Path into) throws Exception {
		Files.createDirectories(into);
		switch (format) {
			case ZIP -> run(into, "unzip", "-q", archive.toString(), "-d", into.toString());
			case SEVEN_Z -> run(into, "7z", "x", "-bd", "-y", "-o" + into, archive.toString());
			default -> run(into, "tar", "-xf", archive.toString(), "-C", into.toString());
		}
	}

	/** Packs a folder's content with the system's own tools. */
	static void createWithSystemTool(Format format, Path tree, Path archive) throws Exception {
		switch (format) {
			case ZIP -> run(tree, "zip", "-r", "-q", archive.toString(), ".");
			case SEVEN_Z -> run(tree, "7z", "a", "-bd", "-y", archive.toString(), ".");
			case TAR_GZ -> run(tree, "tar", "-czf", archive.toString(), ".");
			case TAR_BZ2 -> run(tree, "tar", "-cjf", archive.toString(), ".");
			case TAR_XZ -> run(tree, "tar", "-cJf", archive.toString(), ".");
			default -> throw new IllegalArgumentException(format.id());
		}
	}

	/** Runs a command to completion; a missing tool or a failure fails the test. */
	static void run(Path directory, String... command) throws Exception {
		Path log = Files.createTempFile("archive-tool", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(String.join(" ", command) + " did not finish");
			}
			assertThat(process.exitValue()).as("%s%n%s", String.join(" ", command), Files.readString(log)).isZero();
		}
		finally {
			Files.deleteIfExists(log);
		}
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
