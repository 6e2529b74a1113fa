package com.cct.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.FileSystemUtils;

import com.cct.storage.S3Server;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The service as deployed, for the whole suite: the web jar and a worker jar as separate JVMs that
 * share only a fresh PostgreSQL database, Redis and a storage folder, plus an in-process SMTP
 * server (GreenMail) the worker mails through. Started once, on first use.
 */
public final class TestStack {

	public static final String JWT_SECRET = "system-tests-secret-0123456789abcdef-0123456789";

	public static final String DASHBOARD_PASSWORD = "system-tests-dashboard";

	private final Map<String, String> workerOverrides;

	private final Map<String, String> webOverrides;

	public static final String MAX_UPLOAD = "64MB";

	/** The machine's Redis and PostgreSQL, which the suite's tests never stop. */
	public static final int SHARED_REDIS_PORT = 6379;

	public static final int SHARED_PG_PORT = 5432;

	private static TestStack shared;

	public final String database;

	public final Path storage;

	public final int redisPort;

	public final int pgPort;

	public final int webPort = Ports.free();

	public final int webManagementPort = Ports.free();

	public final int dashboardPort = Ports.free();

	public final int workerManagementPort = Ports.free();

	public final int smtpPort = Ports.free();

	private GreenMail mail;

	private ServiceProcess web;

	private ServiceProcess worker;

	/** With {@link #isolatedOnBucket}: the S3 server whose bucket holds the files, instead of a shared folder. */
	private boolean onBucket;

	private S3Server s3;

	private TestStack(String name, int redisPort, int pgPort, Map<String, String> workerOverrides,
			Map<String, String> webOverrides) {
		this.workerOverrides = workerOverrides;
		this.webOverrides = webOverrides;
		this.pgPort = pgPort;
		// per test JVM, so two suites on one machine never share (or drop) each other's database
		long pid = ProcessHandle.current().pid();
		this.database = "cct_" + name + "_" + pid;
		this.storage = Path.of("target", "stacks", name + "-" + pid).toAbsolutePath();
		this.redisPort = redisPort;
	}

	/**
	 * A stack of its own (database, storage, Redis port) for tests that break a service; the caller
	 * stops it. {@code name} is lower-case letters only (it names the database).
	 */
	public static TestStack isolated(String name, int redisPort, int pgPort, Map<String, String> workerOverrides) {
		return isolated(name, redisPort, pgPort, workerOverrides, Map.of());
	}

	/** The same, with environment variables of its own for the web process too. */
	public static TestStack isolated(String name, int redisPort, int pgPort, Map<String, String> workerOverrides,
			Map<String, String> webOverrides) {
		TestStack stack = new TestStack(name, redisPort, pgPort, workerOverrides, webOverrides);
		stack.startOrStop();
		return stack;
	}

	/**
	 * A stack of its own whose web process also gets {@code webOverrides} (limits set small, say);
	 * the caller stops it.
	 */
	public static TestStack isolatedWithWeb(String name, int redisPort, Map<String, String> webOverrides,
			Map<String, String> workerOverrides) {
		return isolated(name, redisPort, SHARED_PG_PORT, workerOverrides, webOverrides);
	}

	/**
	 * A stack of its own on the machine's PostgreSQL (a database of its own) and Redis, for tests that
	 * stop or break its web, worker or mail server but leave those two alone; the caller stops it.
	 */
	public static TestStack isolated(String name) {
		return isolated(name, SHARED_REDIS_PORT, SHARED_PG_PORT, Map.of());
	}

	/**
	 * A stack of its own whose files live in a bucket of its own S3 server (S3Proxy, started first,
	 * stopped with the stack), {@code CCT_STORAGE_BACKEND=s3}: the web process and every worker get
	 * local folders of their own and share no folder at all. The caller stops it.
	 */
	public static TestStack isolatedOnBucket(String name, Map<String, String> workerOverrides) {
		TestStack stack = new TestStack(name, SHARED_REDIS_PORT, SHARED_PG_PORT, workerOverrides, Map.of());
		stack.onBucket = true;
		stack.startOrStop();
		return stack;
	}

	public static synchronized TestStack shared() {
		if (shared == null) {
			TestStack stack = new TestStack("systest", SHARED_REDIS_PORT, SHARED_PG_PORT, Map.of(), Map.of());
			stack.startOrStop();
			shared = stack;
			Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
		}
		return shared;
	}

	/** Starts the stack, or stops what of it did start: a half-started stack must not outlive the test JVM. */
	private void startOrStop() {
		try {
			start();
		}
		catch (RuntimeException ex) {
			stop();
			throw ex;
		}
	}

	private void start() {
		dropDatabasesOfDeadRuns(this.pgPort);
		recreateDatabase(this.pgPort, this.database);
		try {
			FileSystemUtils.deleteRecursively(this.storage);
			Files.createDirectories(this.storage);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		if (this.onBucket) {
			this.s3 = S3Server.start(this.storage.resolve("s3"), "cct-files");
		}
		startMail();
		this.web = new ServiceProcess(this.database + "-web", jar("cct.appJar"), webEnvironment(), this.webManagementPort,
				List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
			.start();
		this.worker = startWorker(this.database + "-worker", this.workerManagementPort);
		this.web.awaitHealthy(Duration.ofSeconds(120));
		this.worker.awaitHealthy(Duration.ofSeconds(120));
	}

	/** A worker JVM of this stack with some of its environment replaced (another database, say). */
	public ServiceProcess startWorker(String name, int managementPort, Map<String, String> overrides) {
		Map<String, String> env = workerEnvironment(managementPort);
		env.putAll(overrides);
		return new ServiceProcess(name, jar("cct.workerJar"), env, managementPort,
				List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
			.start();
	}

	/** An empty database on the machine's PostgreSQL; {@code name} is cct_<letters>_<pid>, so leftovers are swept. */
	public static String freshDatabase(String name) {
		recreateDatabase(SHARED_PG_PORT, name);
		return "jdbc:postgresql://127.0.0.1:" + SHARED_PG_PORT + "/" + name;
	}

	/** Another worker JVM on the same database, Redis and storage (for crash and scale tests). */
	public ServiceProcess startWorker(String name, int managementPort) {
		return new ServiceProcess(name, jar("cct.workerJar"), workerEnvironment(managementPort), managementPort,
				List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
			.start();
	}

	public Map<String, String> commonEnvironment() {
		Map<String, String> env = new HashMap<>();
		env.put("SPRING_PROFILES_ACTIVE", "systest");
		env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + this.pgPort + "/" + this.database);
		env.put("SPRING_DATASOURCE_USERNAME", "postgres");
		env.put("CCT_REDIS_URL", "redis://127.0.0.1:" + this.redisPort);
		env.put("CCT_STORAGE_ROOT", this.storage.toString());
		if (this.s3 != null) {
			env.putAll(this.s3.environment());
		}
		return env;
	}

	public Map<String, String> webEnvironment() {
		Map<String, String> env = commonEnvironment();
		env.put("SERVER_PORT", Integer.toString(this.webPort));
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(this.webManagementPort));
		env.put("JOBRUNR_DASHBOARD_PORT", Integer.toString(this.dashboardPort));
		env.put("CCT_JWT_SECRET", JWT_SECRET);
		env.put("CCT_DASHBOARD_USERNAME", "operator");
		env.put("CCT_DASHBOARD_PASSWORD", DASHBOARD_PASSWORD);
		env.put("CCT_MAX_UPLOAD_SIZE", MAX_UPLOAD);
		// the whole suite signs up from 127.0.0.1; security/SignupSystemTests checks the limit on a stack of its own
		env.put("CCT_SIGNUP_LIMIT_PER_IP", "1000000");
		// the suite's load-style tests upload hundreds of tasks per account at once; fair/ sets the
		// per-account limits small on stacks of its own
		env.put("CCT_USER_ACTIVE_TASKS", "100000");
		env.put("CCT_USER_UPLOADS_PER_HOUR", "100000");
		env.put("CCT_USER_STREAMS", "1000");
		if (this.s3 != null) {
			// the upload spool only: the files go to the bucket
			env.put("CCT_STORAGE_ROOT", this.storage.resolve("web").toString());
		}
		env.putAll(this.webOverrides);
		return env;
	}

	public Map<String, String> workerEnvironment(int managementPort) {
		Map<String, String> env = commonEnvironment();
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
		env.put("CCT_WORKER_COUNT", "2");
		env.put("CCT_MAX_JOB_DURATION", "2m");
		env.put("CCT_RECONCILE_GRACE", "5s");
		env.put("CCT_DRAIN_TIMEOUT", "60s");
		env.put("SPRING_MAIL_HOST", "127.0.0.1");
		env.put("SPRING_MAIL_PORT", Integer.toString(this.smtpPort));
		env.put("CCT_MAIL_FROM", "Cloud Conversion Tool <robot@cct.test>");
		env.put("CCT_PUBLIC_URL", "http://localhost:" + this.webPort);
		if (this.s3 != null) {
			// each worker converts in a scratch folder of its own
			Path own = this.storage.resolve("worker-" + managementPort);
			env.put("CCT_STORAGE_ROOT", own.toString());
			env.put("CCT_SCRATCH_DIR", own.resolve("scratch").toString());
		}
		env.putAll(this.workerOverrides);
		return env;
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.webPort;
	}

	/** An API client whose {@link Api#newUser()} also verifies the address, through the mailed link. */
	public Api api() {
		return new Api(baseUrl(), email -> Mailbox.followVerificationLink(this, email));
	}

	public GreenMail mail() {
		return this.mail;
	}

	public synchronized void startMail() {
		this.mail = new GreenMail(new ServerSetup(this.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.mail.start();
	}

	public synchronized void stopMail() {
		if (this.mail != null) {
			this.mail.stop();
		}
	}

	public ServiceProcess web() {
		return this.web;
	}

	public ServiceProcess worker() {
		return this.worker;
	}

	/** The task's folder in this stack's storage: {@code {root}/{userId}/{taskId}}. */
	public Path taskFolder(String taskId) throws SQLException {
		try (Connection db = database();
				java.sql.PreparedStatement sql = db.prepareStatement("select user_id from tasks where id = ?::uuid")) {
			sql.setString(1, taskId);
			try (java.sql.ResultSet rows = sql.executeQuery()) {
				if (!rows.next()) {
					throw new IllegalStateException("no task " + taskId);
				}
				return this.storage.resolve(rows.getString(1)).resolve(taskId);
			}
		}
	}

	/** With {@link #isolatedOnBucket}: the S3 server. */
	public S3Server s3() {
		return this.s3;
	}

	/** With {@link #isolatedOnBucket}: the keys of the task's objects in the bucket. */
	public List<String> objects(String taskId) throws SQLException {
		Path folder = taskFolder(taskId);
		return this.s3.keys(folder.getParent().getFileName() + "/" + taskId + "/");
	}

	public Connection database() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + this.pgPort + "/" + this.database, "postgres", "");
	}

	public void stop() {
		if (this.web != null) {
			this.web.stop(Duration.ofSeconds(10));
		}
		if (this.worker != null) {
			this.worker.stop(Duration.ofSeconds(70));
		}
		stopMail();
		if (this.s3 != null) {
			this.s3.close();
		}
		try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + this.pgPort + "/postgres", "postgres", "");
				Statement sql = admin.createStatement()) {
			sql.execute("drop database if exists " + this.database + " with (force)");
		}
		catch (SQLException ex) {
			// left for the next run to clean up
		}
	}

	/** Databases named after a test JVM that no longer runs are leftovers of an interrupted run. */
	static void dropDatabasesOfDeadRuns(int port) {
		try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
				Statement sql = admin.createStatement()) {
			java.util.List<String> stale = new java.util.ArrayList<>();
			try (var rows = sql.executeQuery("select datname from pg_database where datname ~ '^cct_[a-z]+_[0-9]+$'")) {
				while (rows.next()) {
					String name = rows.getString(1);
					long pid = Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
					if (ProcessHandle.of(pid).isEmpty()) {
						stale.add(name);
					}
				}
			}
			for (String name : stale) {
				sql.execute("drop database if exists " + name + " with (force)");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL must run on 127.0.0.1:5432 (make test starts it)", ex);
		}
	}

	static void recreateDatabase(int port, String name) {
		try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
				Statement sql = admin.createStatement()) {
			sql.execute("drop database if exists " + name + " with (force)");
			sql.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL must run on 127.0.0.1:5432 (make test starts it)", ex);
		}
	}

	/** A private copy of the jar, so a rebuild while the suite runs cannot pull classes from under it. */
	private Path jar(String property) {
		Path jar = Path.of(System.getProperty(property, "missing"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("Jar not found: " + jar + " (run `mvn verify` from the root, not `mvn test`)");
		}
		try {
			Path copy = this.storage.resolveSibling(this.storage.getFileName() + "-jars").resolve(jar.getFileName());
			Files.createDirectories(copy.getParent());
			if (!Files.exists(copy)) {
				Files.copy(jar, copy);
			}
			return copy;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
