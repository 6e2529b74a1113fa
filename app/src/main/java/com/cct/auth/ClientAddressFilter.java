package com.cct.auth;

import java.io.IOException;
import java.util.Collections;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Makes {@code getRemoteAddr()} the real client behind trusted proxies (see {@link TrustedProxies}),
 * for everything after it: the login and sign-up limits, logs, other features. Runs first, on every
 * dispatch, since an async (SSE) or error dispatch gets the unwrapped request again.
 */
class ClientAddressFilter extends OncePerRequestFilter {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private final TrustedProxies proxies;

	ClientAddressFilter(TrustedProxies proxies) {
		this.proxies = proxies;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String peer = request.getRemoteAddr();
		if (request.getHeader(FORWARDED_FOR) == null) {
			chain.doFilter(request, response);
			return;
		}
		String client = this.proxies.clientAddress(peer, Collections.list(request.getHeaders(FORWARDED_FOR)));
		chain.doFilter(client.equals(peer) ? request : new ForwardedRequest(request, client), response);
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	private static final class ForwardedRequest extends HttpServletRequestWrapper {

		private final String client;

		ForwardedRequest(HttpServletRequest request, String client) {
			super(request);
			this.client = client;
		}

		@Override
		public String getRemoteAddr() {
			return this.client;
		}

		@Override
		public String getRemoteHost() {
			return this.client;
		}

	}

}
