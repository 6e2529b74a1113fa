package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.util.unit.DataSize;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/** The valve in a real Tomcat, driven over raw sockets: what a trickling client actually meets. */
class UploadGuardValveTests {

	private static final String BOUNDARY = "----cct-boundary";

	@TempDir
	Path folder;

	private Tomcat tomcat;

	private int port;

	private UploadGuardValve valve;

	private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(4);

	@BeforeEach
	void start() throws LifecycleException {
		this.tomcat = new Tomcat();
		this.tomcat.setBaseDir(this.folder.toString());
		this.tomcat.setPort(0);
		this.tomcat.getConnector().setProperty("connectionTimeout", "5000");
		Context context = this.tomcat.addContext("", this.folder.toString());
		Wrapper servlet = Tomcat.addServlet(context, "upload", new Sink());
		servlet.setMultipartConfigElement(new MultipartConfigElement(this.folder.toString(), -1, -1, 0));
		context.addServletMappingDecoded("/*", "upload");
		// like Spring Boot's /error: a page that would replace an answer Tomcat thinks is an error
		ErrorPage errorPage = new ErrorPage();
		errorPage.setLocation("/error-page");
		context.addErrorPage(errorPage);
		this.valve = new UploadGuardValve(new UploadGuardSettings(Duration.ofSeconds(4), DataSize.ofBytes(200),
				Duration.ofSeconds(1), 1, Duration.ofHours(1)), Jackson2ObjectMapperBuilder.json().build());
		context.getPipeline().addValve(this.valve);
		this.tomcat.start();
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	@AfterEach
	void stop() throws LifecycleException {
		this.trickle.shutdownNow();
		this.tomcat.stop();
		this.tomcat.destroy();
	}

	@Test
	void aFastUploadIsReadAsUsual() throws IOException {
		try (Socket socket = connect()) {
			byte[] body = multipart(new byte[50_000]);
			socket.getOutputStream().write(head(body.length));
			socket.getOutputStream().write(body);

			String response = read(socket);

			assertThat(response).startsWith("HTTP/1.1 200").contains("parts=1 bytes=50000");
		}
	}

	@Test
	void aTricklingMultipartUploadIsCutWith408AndAProblem() throws IOException {
		long started = System.nanoTime();
		try (Socket socket = connect()) {
			tricklingUpload(socket, 100);

			String response = read(socket);

			assertThat(response).startsWith("HTTP/1.1 408")
				.contains("Content-Type: application/problem+json")
				.containsIgnoringCase("Connection: close")
				.contains("\"type\":\"urn:cct:problem:upload-too-slow\"")
				.contains("\"status\":408");
		}
		// one 1 s window, and the next byte at most 100 ms later
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void aTricklingRawBodyIsCutTheSameWay() throws IOException {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			sendEvery(out, 100);

			assertThat(read(socket)).startsWith("HTTP/1.1 408").contains("upload-too-slow");
		}
	}

	@Test
	void aBodyFastEnoughButTooLongMeetsTheDeadline() throws IOException {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write(head(10_000_000));
			out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"a.bin\"\r\n"
					+ "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			// 100 bytes every 100 ms: 1000 B/s, above the minimum rate, but 10 MB would take hours
			this.trickle.scheduleAtFixedRate(() -> write(out, new byte[100]), 0, 100, TimeUnit.MILLISECONDS);

			assertThat(read(socket)).startsWith("HTTP/1.1 408").contains("upload-timeout");
		}
	}

	@Test
	void beyondTheConcurrencyCapABodyIsRefusedAtOnce() throws IOException {
		try (Socket first = connect(); Socket second = connect()) {
			tricklingUpload(first, 100);
			// let the first take the one reader slot before the second arrives
			first.getOutputStream().flush();
			awaitReading(first);
			byte[] body = multipart(new byte[10]);
			second.getOutputStream().write(head(body.length));
			second.getOutputStream().write(body);

			assertThat(read(second)).startsWith("HTTP/1.1 503").contains("urn:cct:problem:busy").contains("Retry-After: 5");
		}
	}

	@Test
	void aTricklerBeyondTheCapIsRefusedAtOnceToo() throws IOException {
		try (Socket first = connect(); Socket second = connect()) {
			tricklingUpload(first, 100);
			awaitReading(first);
			long started = System.nanoTime();
			tricklingUpload(second, 100);

			assertThat(read(second)).startsWith("HTTP/1.1 503").contains("urn:cct:problem:busy");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
		}
	}

	@Test
	void anAnswerGivenWithoutReadingTheBodyStandsAndTheConnectionCloses() throws IOException {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /refuse HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			sendEvery(out, 100);
			long started = System.nanoTime();

			String response = read(socket);

			assertThat(response).startsWith("HTTP/1.1 401").contains("refused by the app").doesNotContain("error page");
			assertThat(response).containsIgnoringCase("Connection: close");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
		}
	}

	@Test
	void requestsWithoutABodyAreLeftAlone() throws IOException {
		try (Socket socket = connect()) {
			socket.getOutputStream()
				.write("GET /page HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

			assertThat(read(socket)).startsWith("HTTP/1.1 200").contains("get");
		}
	}

	/** Bounded: the first trickler's head has reached the valve, which holds the one reader slot. */
	private void awaitReading(Socket socket) {
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (this.valve.readersAvailable() > 0 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.valve.readersAvailable()).isZero();
	}

	private void tricklingUpload(Socket socket, long everyMillis) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(head(100_000));
		out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"a.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		sendEvery(out, everyMillis);
	}

	private void sendEvery(OutputStream out, long everyMillis) {
		this.trickle.scheduleAtFixedRate(() -> write(out, new byte[] { 'x' }), 0, everyMillis, TimeUnit.MILLISECONDS);
	}

	private static void write(OutputStream out, byte[] bytes) {
		try {
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			throw new IllegalStateException("closed", ex);
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.setSoTimeout(10_000);
		return socket;
	}

	private static byte[] head(long contentLength) {
		return ("POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
				+ "\r\nContent-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] multipart(byte[] file) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"fileName\"; filename=\"a.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		body.write(file);
		body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return body.toByteArray();
	}

	/** The response until the server closes, or its head and body when it keeps the connection. */
	private static String read(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		try {
			while ((n = in.read(buffer)) > 0) {
				response.write(buffer, 0, n);
				String text = response.toString(StandardCharsets.UTF_8);
				int end = text.indexOf("\r\n\r\n");
				int length = text.indexOf("Content-Length: ");
				if (end > 0 && length > 0 && length < end) {
					int bodyLength = Integer.parseInt(text.substring(length + 16, text.indexOf("\r\n", length)).trim());
					if (response.size() >= end + 4 + bodyLength) {
						break;
					}
				}
			}
		}
		catch (java.net.SocketException ex) {
			// reset after the answer: what was read is the answer
		}
		return response.toString(StandardCharsets.UTF_8);
	}

	/** Counts what it read: parts for multipart requests, bytes for the rest. */
	static final class Sink extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.getWriter().write(request.getRequestURI().equals("/error-page") ? "error page" : "get");
		}

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			if (request.getRequestURI().equals("/error-page")) {
				response.getWriter().write("error page");
				return;
			}
			if (request.getRequestURI().equals("/refuse")) {
				// as Spring Security's 401: answered at once, the body never read
				response.setStatus(401);
				response.getWriter().write("refused by the app");
				return;
			}
			long bytes = 0;
			int parts = 0;
			try {
				if (request.getContentType().startsWith("multipart/")) {
					for (Part part : request.getParts()) {
						parts++;
						bytes += part.getSize();
					}
				}
				else {
					bytes = request.getInputStream().transferTo(OutputStream.nullOutputStream());
				}
			}
			catch (jakarta.servlet.ServletException | IllegalStateException ex) {
				response.sendError(400);
				return;
			}
			response.getWriter().write("parts=" + parts + " bytes=" + bytes);
		}

	}

}
