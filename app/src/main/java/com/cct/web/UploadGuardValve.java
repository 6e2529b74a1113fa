package com.cct.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.ServletException;

/**
 * Bounds every request body (uploads, logins, any POST): at most {@code concurrency} are read at
 * once, each within a total deadline and above a minimum rate (see {@link UploadGuard}); a cut body
 * is answered 408 with a problem body, and the connection is closed instead of swallowing the rest.
 * <p>
 * A Tomcat valve, not a servlet filter: Tomcat's multipart parser reads the connector's own stream,
 * so a filter's {@code getInputStream()} wrapper would never see an upload's bytes.
 */
final class UploadGuardValve extends ValveBase {

	private static final Logger log = LoggerFactory.getLogger(UploadGuardValve.class);

	/** The request attribute that holds the request's {@link UploadGuard}, while its body is read. */
	static final String GUARD = UploadGuard.class.getName();

	private final UploadGuardSettings settings;

	private final Semaphore readers;

	private final ObjectMapper json;

	UploadGuardValve(UploadGuardSettings settings, ObjectMapper json) {
		super(true);
		this.settings = settings;
		this.readers = new Semaphore(settings.concurrency());
		this.json = json;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (!hasBody(request)) {
			getNext().invoke(request, response);
			return;
		}
		if (!this.readers.tryAcquire()) {
			log.warn("{} request bodies are being read already; {} {} refused", this.settings.concurrency(),
					request.getMethod(), request.getRequestURI());
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			problem(request, response, Problems.body(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy",
					"Too many uploads are arriving at once. Please retry in a few seconds."));
			return;
		}
		org.apache.coyote.Request coyote = request.getCoyoteRequest();
		UploadGuard guard = new UploadGuard(coyote.getInputBuffer(), this.settings, System::nanoTime);
		coyote.setInputBuffer(guard);
		request.setAttribute(GUARD, guard);
		try {
			getNext().invoke(request, response);
		}
		finally {
			coyote.setInputBuffer(guard.body());
			this.readers.release();
		}
		if (guard.cut() != null) {
			log.info("{} {} cut: {}", request.getMethod(), request.getRequestURI(), guard.cut());
			if (!response.isCommitted()) {
				// Tomcat's own 408 for the read failure would render Boot's error page; ours is a problem
				response.resetError();
				response.setSuspended(false);
				response.reset();
				problem(request, response, cutProblem(guard.cut()));
			}
		}
		else if (closesAfter(response.getStatus(), guard, coyote.getContentLengthLong()) && !request.isAsync()) {
			// The rest of a refused body (401, 413, ...) would be swallowed at the client's pace: close instead.
			// An answer committed already says so (UnreadBodyCloseFilter); one that is not, says it here.
			if (!response.isCommitted()) {
				response.setHeader(HttpHeaders.CONNECTION, "close");
			}
			boolean errorPageWanted = response.isErrorReportRequired();
			request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
			if (!errorPageWanted) {
				// the app's own answer stands; Tomcat's error flag must not turn it into an error page
				response.setErrorReported();
			}
		}
	}

	/**
	 * Whether the connection is closed after an answer of this status: a refusal that left the body
	 * unread. The answer must then say {@code Connection: close}, or the client reuses a dead connection.
	 */
	static boolean closesAfter(int status, UploadGuard guard, long contentLength) {
		return status >= 400 && !guard.ended(contentLength);
	}

	private ProblemDetail cutProblem(UploadGuard.Cut cut) {
		if (cut == UploadGuard.Cut.TIMEOUT) {
			return Problems.body(HttpStatus.REQUEST_TIMEOUT, "upload-timeout", "Upload took too long",
					"The upload did not arrive within " + this.settings.timeout().toMinutes()
							+ " minutes. Please retry on a faster connection, or send a smaller file.");
		}
		return Problems.body(HttpStatus.REQUEST_TIMEOUT, "upload-too-slow", "Upload too slow",
				"The upload arrived slower than " + this.settings.minRate().toBytes()
						+ " bytes per second and was stopped. Please retry on a faster connection.");
	}

	/**
	 * Tomcat marks the response as an error when it stops swallowing; the answer is already written,
	 * so no error page must replace it (that dispatch would even parse the unread multipart body).
	 */
	private static void closeWithoutSwallowing(Request request, Response response) {
		request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
		response.setErrorReported();
	}

	private void problem(Request request, Response response, ProblemDetail body) throws IOException {
		// Close without reading the rest: a slow sender must not hold this thread any longer.
		closeWithoutSwallowing(request, response);
		response.setStatus(body.getStatus());
		response.setHeader(HttpHeaders.CONNECTION, "close");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		byte[] bytes = this.json.writeValueAsBytes(body);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	int readersAvailable() {
		return this.readers.availablePermits();
	}

	private static boolean hasBody(Request request) {
		String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
		return request.getContentLengthLong() > 0 || (encoding != null && !encoding.isEmpty());
	}

}
