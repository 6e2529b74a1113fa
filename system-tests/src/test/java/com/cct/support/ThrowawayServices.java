package com.cct.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL and Redis instances of a test's own, on free ports, for tests that stop or break them.
 * The machine's shared services are never touched.
 */
public final class ThrowawayServices {

	private ThrowawayServices() {
	}

	/** A redis-server on its own port, nothing persisted. */
	public static final class Redis {

		public final int port = Ports.free();

		private Process process;

		public Redis start() {
			try {
				this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind",
						"127.0.0.1", "--save", "", "--appendonly", "no")
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				org.awaitility.Awaitility.await("redis up").atMost(java.time.Duration.ofSeconds(10)).until(this::isUp);
				return this;
			}
			catch (IOException ex) {
				throw new IllegalStateException("redis-server must be installed", ex);
			}
		}

		public boolean isUp() {
			try (var jedis = new redis.clients.jedis.Jedis("127.0.0.1", this.port, 500)) {
				return "PONG".equals(jedis.ping());
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		/** Freezes the server (SIGSTOP): connections stay open and nothing answers, as in a stall. */
		public void pause() {
			signal("-STOP");
		}

		/** Lets a paused server go on (SIGCONT). */
		public void resume() {
			signal("-CONT");
		}

		private void signal(String signal) {
			try {
				int code = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start().waitFor();
				if (code != 0) {
					throw new IllegalStateException("kill " + signal + " exited with " + code);
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		public void stop() {
			if (this.process != null) {
				this.process.destroyForcibly();
				try {
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	/** A PostgreSQL cluster made with initdb in a temporary folder, run with pg_ctl. */
	public static final class Postgres {

		public final int port = Ports.free();

		private final Path dataDir;

		private final Path bin;

		public Postgres() {
			this.bin = binaries();
			try {
				this.dataDir = Files.createTempDirectory("cct-pg-");
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** The newest installed PostgreSQL server's bin folder (initdb, pg_ctl, postgres). */
		public static Path binaries() {
			try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
				return versions.map(v -> v.resolve("bin"))
					.filter(b -> Files.isExecutable(b.resolve("initdb")))
					.max(Comparator.naturalOrder())
					.orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found"));
			}
			catch (IOException ex) {
				throw new IllegalStateException("PostgreSQL must be installed (/usr/lib/postgresql/*/bin)", ex);
			}
		}

		public Postgres init() {
			run("chown", "-R", "postgres:postgres", this.dataDir.toString());
			asPostgres(this.bin.resolve("initdb").toString(), "-D", this.dataDir.resolve("data").toString(), "-A",
					"trust", "-U", "postgres", "--no-sync");
			return start();
		}

		public Postgres start() {
			asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", this.dataDir.resolve("data").toString(), "-l",
					this.dataDir.resolve("log").toString(), "-w", "-o",
					"-p " + this.port + " -k " + this.dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
			return this;
		}

		public void stop() {
			asPostgres(this.bin.resolve("pg_ctl").toString(), "-D", this.dataDir.resolve("data").toString(), "-m",
					"immediate", "-w", "stop");
		}

		public void destroy() {
			try {
				stop();
			}
			catch (RuntimeException ex) {
				// already down
			}
			run("rm", "-rf", this.dataDir.toString());
		}

		private void asPostgres(String... command) {
			List<String> full = new ArrayList<>();
			if ("root".equals(System.getProperty("user.name"))) {
				full.addAll(List.of("runuser", "-u", "postgres", "--"));
			}
			full.addAll(List.of(command));
			run(full.toArray(String[]::new));
		}

		private static void run(String... command) {
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
				process.getOutputStream().close();
				String out = new String(process.getInputStream().readAllBytes());
				if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
					throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
