package com.cct.web;

import java.io.IOException;
import java.io.PrintWriter;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A refusal that leaves the request body unread ends its connection ({@link UploadGuardValve}), so
 * its answer must say {@code Connection: close}: a client pools a connection whose last answer did
 * not, sends its next request on it and gets no answer, and HTTP clients retry no POST or PATCH.
 * The valve can add the header only to an answer not yet sent; problem bodies are flushed, so sent,
 * inside the servlet. This filter adds it when the answer's body starts: the status is known then,
 * and so is whether the request body was read to its end.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class UnreadBodyCloseFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getAttribute(UploadGuardValve.GUARD) instanceof UploadGuard guard) {
			chain.doFilter(request, new AnnouncingResponse(response, guard, request.getContentLengthLong()));
		}
		else {
			chain.doFilter(request, response);
		}
	}

	/** Adds {@code Connection: close} just before the answer is committed, when the valve will close. */
	private static final class AnnouncingResponse extends HttpServletResponseWrapper {

		private final UploadGuard guard;

		private final long contentLength;

		AnnouncingResponse(HttpServletResponse response, UploadGuard guard, long contentLength) {
			super(response);
			this.guard = guard;
			this.contentLength = contentLength;
		}

		private void beforeCommit() {
			if (!isCommitted() && UploadGuardValve.closesAfter(getStatus(), this.guard, this.contentLength)) {
				setHeader(HttpHeaders.CONNECTION, "close");
			}
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			beforeCommit();
			return super.getOutputStream();
		}

		@Override
		public PrintWriter getWriter() throws IOException {
			beforeCommit();
			return super.getWriter();
		}

		@Override
		public void flushBuffer() throws IOException {
			beforeCommit();
			super.flushBuffer();
		}

	}

}
