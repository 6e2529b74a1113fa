package com.cct.multihost;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.util.FileSystemUtils;

import com.cct.support.ThrowawayServices;

/**
 * The services host: a PostgreSQL cluster of the test's own (initdb into a temporary folder, run as
 * the postgres user, listening on the host's address only) and a redis-server, both inside the
 * services namespace, on their standard ports. Nothing of the machine's own services is used.
 */
final class ServicesHost implements AutoCloseable {

	static final String DATABASE = "cct";

	private final TestNetwork.Host host;

	private final String subnet;

	private final Path dir;

	private final Path bin;

	private HostProcess redis;

	private boolean postgresStarted;

	ServicesHost(TestNetwork.Host host) {
		this.host = host;
		this.subnet = host.address().substring(0, host.address().lastIndexOf('.')) + ".0/24";
		this.bin = ThrowawayServices.Postgres.binaries();
		try {
			this.dir = Files.createTempDirectory("cct-multihost-pg-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	ServicesHost start() throws IOException, SQLException {
		TestNetwork.run("chown", "postgres:postgres", this.dir.toString());
		Path data = this.dir.resolve("data");
		asPostgres(false, this.bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
				"--no-sync");
		// the other hosts connect over the test network, not over loopback
		Files.writeString(data.resolve("pg_hba.conf"), "host all all " + this.subnet + " trust\n",
				java.nio.file.StandardOpenOption.APPEND);
		asPostgres(true, this.bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
				this.dir.resolve("postgres.log").toString(), "-w", "-o",
				"-h " + this.host.address() + " -p 5432 -k " + this.dir + " -c fsync=off -c max_connections=200", "start");
		this.postgresStarted = true;
		try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
			admin.createStatement().execute("create database " + DATABASE);
		}
		this.redis = HostProcess.start("redis", this.host, List.of("redis-server", "--bind", this.host.address(), "--port",
				"6379", "--save", "", "--appendonly", "no", "--protected-mode", "no"), Map.of());
		await("redis on the services host").atMost(Duration.ofSeconds(20)).until(() -> reachable(6379));
		return this;
	}

	/** As the client (the test JVM) reaches it, over the test network. */
	String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.host.address() + ":5432/" + database;
	}

	Connection database() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(DATABASE), "postgres", "");
	}

	private boolean reachable(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host.address(), port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		if (this.redis != null) {
			this.redis.stop(Duration.ofSeconds(5));
		}
		if (this.postgresStarted) {
			try {
				asPostgres(true, this.bin.resolve("pg_ctl").toString(), "-D", this.dir.resolve("data").toString(), "-m",
						"immediate", "-w", "stop");
			}
			catch (RuntimeException ex) {
				// already down
			}
		}
		FileSystemUtils.deleteRecursively(this.dir.toFile());
	}

	/** Runs a PostgreSQL tool as the postgres user, inside the services namespace when {@code inNamespace}. */
	private void asPostgres(boolean inNamespace, String... command) {
		List<String> full = new ArrayList<>(inNamespace ? this.host.exec() : List.of());
		full.addAll(List.of("runuser", "-u", "postgres", "--"));
		full.addAll(List.of(command));
		TestNetwork.run(full.toArray(String[]::new));
	}

}
