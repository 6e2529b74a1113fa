package com.cct.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Ports;
import com.cct.support.TestStack;

/**
 * A few hundred clients that send an upload's head and then one byte every two seconds, against the
 * web jar and through the real nginx config, while another client keeps polling: the tricklers are
 * refused or cut within seconds, and the other client's requests keep answering in under a second.
 * Loopback only; the other client speaks from 127.0.0.2, so nginx sees it as another address.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@Tag("serial") // timed under load: runs alone, after the parallel suites (see the pom)
class SlowClientSystemTests {

	private static final int TRICKLERS = 300;

	private static final int FLOOD = 2000;

	private static final Duration BYTE_EVERY = Duration.ofSeconds(2);

	/** The web's defaults: a 10 s rate window, then at most one byte interval more. */
	private static final Duration ALL_ENDED_WITHIN = Duration.ofSeconds(40);

	private static final String BOUNDARY = "----cct-trickle";

	private static TestStack stack;

	private static Api.User user;

	@TempDir
	static Path nginxPrefix;

	@BeforeAll
	static void startStack() {
		stack = TestStack.isolated("edge");
		user = stack.api().newUser();
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void tricklingUploadsAreRefusedOrCutAndOtherClientsStillGetAnswers() throws Exception {
		Figures figures = trickle(stack.webPort);

		// Bodies beyond CCT_UPLOAD_CONCURRENCY (100) are refused at once; the rest cut by the minimum rate.
		assertThat(figures.statuses).containsOnlyKeys(408, 503);
		assertThat(figures.statuses.get(503)).isGreaterThanOrEqualTo(TRICKLERS - 100);
		assertThat(figures.statuses.get(408)).isBetween(1, 100);
		assertThat(figures.allEnded).isLessThan(ALL_ENDED_WITHIN);
		assertThat(figures.slowest).isLessThan(Duration.ofSeconds(1));
		assertThat(figures.otherRequests).isGreaterThan(20);
		assertThat(figures.otherFailures).isZero();
		assertThat(upload(stack.webPort, InetAddress.getLoopbackAddress())).isEqualTo(201);
	}

	@Test
	void throughNginxTricklersAreLimitedPerAddressAndCutByTheApp() throws Exception {
		int port = Ports.free();
		Process nginx = startNginx(port);
		try {
			Figures figures = trickle(port);

			// nginx lets 8 uploads per address through (429 for the rest); the app cuts those 8.
			assertThat(figures.statuses).containsOnlyKeys(408, 429);
			assertThat(figures.statuses.get(429)).isGreaterThanOrEqualTo(TRICKLERS - 8);
			assertThat(figures.statuses.get(408)).isBetween(1, 8);
			assertThat(figures.allEnded).isLessThan(ALL_ENDED_WITHIN);
			assertThat(figures.slowest).isLessThan(Duration.ofSeconds(1));
			assertThat(figures.otherFailures).isZero();
			assertThat(figures.uploadDuringTrickle).isEqualTo(201);
		}
		finally {
			nginx.destroy();
			nginx.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/**
	 * Connections that each send half a request head and wait hold Tomcat's buffers, about 172 KB of
	 * heap each: at {@code -Xmx256m}, 1,500 of them from one client once ended the web with
	 * OutOfMemoryError. The web now takes what half its heap carries and leaves the rest in the
	 * backlog; it stays up, and answers again as soon as the flood goes.
	 */
	@Test
	void aFloodOfHalfSentRequestHeadsWaitsInTheBacklogInsteadOfFillingTheHeap() throws Exception {
		long pid = stack.web().pid();
		List<SocketChannel> flood = new ArrayList<>();
		int heads = 0;
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < FLOOD; i++) {
				SocketChannel channel = SocketChannel.open();
				flood.add(channel);
				channel.configureBlocking(false);
				channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), stack.webPort));
				channel.register(selector, SelectionKey.OP_CONNECT);
			}
			byte[] half = "GET /api/account HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII);
			// connections the kernel completes get their half head, for as long as Tomcat's header timeout allows
			long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
			while (System.nanoTime() < until) {
				selector.select(250);
				for (SelectionKey key : selector.selectedKeys()) {
					key.cancel();
					try {
						SocketChannel channel = (SocketChannel) key.channel();
						if (channel.finishConnect()) {
							channel.write(ByteBuffer.wrap(half));
							heads++;
						}
					}
					catch (IOException ex) {
						// refused or reset: the backlog was full, as it may be
					}
				}
				selector.selectedKeys().clear();
			}
			assertThat(stack.web().isAlive()).as("the web outlived %d half-sent heads (see target/logs)", heads).isTrue();
		}
		finally {
			for (SocketChannel channel : flood) {
				channel.close();
			}
		}
		System.out.printf("[edge] %d of %d flood connections sent their half head%n", heads, FLOOD);
		assertThat(heads).as("the flood reached the web").isGreaterThan(500);
		Api api = stack.api();
		await("the web answers once the flood is gone").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.until(() -> api.get("/api/account", user.token()).status() == 200);
		assertThat(stack.web().pid()).isEqualTo(pid);
		assertThat(stack.web().isAlive()).isTrue();
	}

	record Figures(Map<Integer, Integer> statuses, Duration allEnded, Duration slowest, int otherRequests,
			int otherFailures, int uploadDuringTrickle) {
	}

	private Figures trickle(int port) throws Exception {
		InetAddress other = InetAddress.getByName("127.0.0.2");
		ScheduledExecutorService writers = Executors.newScheduledThreadPool(4);
		ExecutorService readers = Executors.newFixedThreadPool(TRICKLERS);
		Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
		Map<String, Integer> endings = new ConcurrentHashMap<>();
		AtomicInteger ended = new AtomicInteger();
		List<Socket> sockets = new ArrayList<>();
		List<Long> latencies = new CopyOnWriteArrayList<>();
		AtomicInteger failures = new AtomicInteger();
		long started = System.nanoTime();
		try {
			for (int i = 0; i < TRICKLERS; i++) {
				Socket socket = new Socket();
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
				socket.setSoTimeout((int) ALL_ENDED_WITHIN.multipliedBy(2).toMillis());
				sockets.add(socket);
				OutputStream out = socket.getOutputStream();
				out.write(tricklingHead());
				out.flush();
				var writing = writers.scheduleAtFixedRate(() -> {
					try {
						out.write('x');
						out.flush();
					}
					catch (IOException ex) {
						throw new IllegalStateException("closed");
					}
				}, BYTE_EVERY.toMillis(), BYTE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
				readers.execute(() -> {
					int status = status(socket);
					statuses.merge(status, 1, Integer::sum);
					endings.merge((System.nanoTime() - started) / 1_000_000_000 + "s:" + status, 1, Integer::sum);
					writing.cancel(false);
					close(socket);
					ended.incrementAndGet();
				});
			}
			var polling = writers.scheduleAtFixedRate(() -> {
				long before = System.nanoTime();
				try {
					int status = request(port, other, ("GET /api/tasks?max=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
							+ user.token() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
					if (status != 200) {
						failures.incrementAndGet();
					}
				}
				catch (IOException ex) {
					failures.incrementAndGet();
				}
				latencies.add(System.nanoTime() - before);
			}, 0, 250, TimeUnit.MILLISECONDS);
			// an upload of someone else's while the tricklers hold what they can; 0: no answer in 10 s
			int uploadDuringTrickle;
			try {
				uploadDuringTrickle = upload(port, other);
			}
			catch (IOException ex) {
				uploadDuringTrickle = 0;
			}
			try {
				await().atMost(ALL_ENDED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> ended.get() == TRICKLERS);
			}
			finally {
				System.err.printf("endings on port %d (second:status=count): %s, %d of %d ended; other client: %d "
						+ "requests, %d failed, slowest %d ms; upload meanwhile: %d%n", port, new TreeMap<>(endings),
						ended.get(), TRICKLERS, latencies.size(), failures.get(),
						latencies.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000, uploadDuringTrickle);
			}
			Duration allEnded = Duration.ofNanos(System.nanoTime() - started);
			polling.cancel(false);
			long slowest = latencies.stream().mapToLong(Long::longValue).max().orElse(0);
			Figures figures = new Figures(new TreeMap<>(statuses), allEnded, Duration.ofNanos(slowest), latencies.size(),
					failures.get(), uploadDuringTrickle);
			System.err.printf("slow clients on port %d: %s%n", port, figures);
			return figures;
		}
		finally {
			writers.shutdownNow();
			readers.shutdownNow();
			sockets.forEach(SlowClientSystemTests::close);
		}
	}

	private static byte[] tricklingHead() {
		String preamble = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nzip\r\n--"
				+ BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"slow.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n";
		return ("POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user.token()
				+ "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: 10000000\r\n\r\n"
				+ preamble).getBytes(StandardCharsets.US_ASCII);
	}

	/** A small upload in one go, from {@code from}: its status. */
	private static int upload(int port, InetAddress from) throws IOException {
		byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"newFormat\"\r\n\r\nzip\r\n--" + BOUNDARY
				+ "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"notes.txt\"\r\n"
				+ "Content-Type: text/plain\r\n\r\nsome notes, quickly sent\r\n--" + BOUNDARY + "--\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.write(("POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user.token()
				+ "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + body.length
				+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		request.write(body);
		return request(port, from, request.toByteArray());
	}

	private static int request(int port, InetAddress from, byte[] request) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request);
			return status(socket);
		}
	}

	/** The status code of the response on {@code socket}; 0 when it closes without one. */
	private static int status(Socket socket) {
		try {
			InputStream in = socket.getInputStream();
			byte[] line = new byte[12];
			int read = 0;
			while (read < line.length) {
				int n = in.read(line, read, line.length - read);
				if (n < 0) {
					return 0;
				}
				read += n;
			}
			return Integer.parseInt(new String(line, 9, 3, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	/** The repository's nginx.conf as check-deploy.sh renders it, pointed at this stack's web port. */
	private Process startNginx(int port) throws IOException {
		Path prefix = nginxPrefix.resolve("nginx");
		Files.createDirectories(prefix.resolve("conf.d"));
		Files.createDirectories(prefix.resolve("logs"));
		String conf = Files.readString(Path.of("..", "nginx", "nginx.conf"))
			.replace("worker_processes auto;", "worker_processes 1;")
			.replace("pid /tmp/nginx.pid;", "pid " + prefix.resolve("nginx.pid") + ";")
			.replace("server app:8080;", "server 127.0.0.1:" + stack.webPort + ";")
			.replace("listen 8000;", "listen 127.0.0.1:" + port + ";");
		assertThat(conf).contains("127.0.0.1:" + stack.webPort, "127.0.0.1:" + port);
		Files.writeString(prefix.resolve("nginx.conf"), conf);
		Files.writeString(prefix.resolve("conf.d/cct-body-limit.conf"), "client_max_body_size 80m;\n");
		Path logs = Path.of("target", "logs");
		Files.createDirectories(logs);
		Process nginx = new ProcessBuilder(nginxBinary(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
				"-e", "stderr", "-g", "daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("edge-nginx.log").toFile()))
			.start();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			assertThat(nginx.isAlive()).as("nginx is running (see target/logs/edge-nginx.log)").isTrue();
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
		return nginx;
	}

	private static String nginxBinary() {
		for (String candidate : new String[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		return "nginx";
	}

}
