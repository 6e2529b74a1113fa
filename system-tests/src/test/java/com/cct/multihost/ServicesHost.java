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
 * the postgres user, listening on the host's address only), a redis-server and an S3 server
 * (S3Proxy, filesystem backend), all inside the services namespace, on their standard ports. Nothing of the machine's own services is used.
 */
final class ServicesHost implements AutoCloseable {

	static final String DATABASE = "cct";

	private final TestNetwork.Host host;

	private final String subnet;

	private final Path dir;

	private final Path bin;

	private HostProcess redis;

	private HostProcess s3;

	/** S3Proxy's access and secret key (the bucket is a folder of its filesystem backend). */
	static final String S3_ACCESS_KEY = "cct-multihost-access";

	static final String S3_SECRET_KEY = "cct-multihost-secret-0123456789";

	static final String BUCKET = "cct-files";

	static final int S3_PORT = 9000;

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
		startS3();
		return this;
	}

	/** A real S3 server (S3Proxy, as the unit tests run it) on the services host's address. */
	private void startS3() throws IOException {
		Path jar = Path.of(System.getProperty("cct.s3proxyJar", "missing")).toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("S3Proxy not found at " + jar + " (the build copies it to app-core/target/s3proxy/)");
		}
		Files.createDirectories(bucketFolder());
		Path properties = this.dir.resolve("s3proxy.properties");
		Files.writeString(properties, String.join("\n", "s3proxy.endpoint=http://" + this.host.address() + ":" + S3_PORT,
				"s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + S3_ACCESS_KEY,
				"s3proxy.credential=" + S3_SECRET_KEY, "jclouds.provider=filesystem",
				"jclouds.filesystem.basedir=" + this.dir.resolve("s3"), ""));
		this.s3 = HostProcess.start("s3", this.host, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--properties", properties.toString()), Map.of());
		await("S3Proxy on the services host").atMost(Duration.ofSeconds(90)).until(() -> reachable(S3_PORT));
	}

	/** The bucket's objects as S3Proxy's filesystem backend keeps them: {@code <key>} below this folder. */
	Path bucketFolder() {
		return this.dir.resolve("s3").resolve(BUCKET);
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
		if (this.s3 != null) {
			this.s3.stop(Duration.ofSeconds(10));
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
