package com.cct.web;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Browser hardening on every response of the web port, set before anything else runs so 401s and
 * problems carry it too. The page loads only its own app.js and app.css (no inline script or style,
 * a data: favicon), so its policy allows nothing else; API answers are never rendered as documents;
 * Swagger UI sets inline styles. HSTS only when the request came over TLS, as Tomcat sees it (behind
 * a proxy that needs the proxy trusted for X-Forwarded-Proto, see CCT_TRUSTED_PROXIES).
 * Spring Security's own header writers skip the headers already present.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersFilter extends OncePerRequestFilter {

	static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

	static final String DOCS_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

	static final String HSTS = "max-age=31536000";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
		response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
		response.setHeader("Content-Security-Policy", policy(request.getRequestURI()));
		if (request.isSecure()) {
			response.setHeader("Strict-Transport-Security", HSTS);
		}
		chain.doFilter(request, response);
	}

	private static String policy(String path) {
		if (path.startsWith("/api/") || path.startsWith("/v3/api-docs")) {
			return API_POLICY;
		}
		if (path.startsWith("/swagger-ui")) {
			return DOCS_POLICY;
		}
		return PAGE_POLICY;
	}

}
