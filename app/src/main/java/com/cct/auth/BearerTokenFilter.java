package com.cct.auth;

import java.io.IOException;
import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import com.cct.web.Problems;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates a request that carries a valid {@code Authorization: Bearer} token or API key. An
 * invalid one simply leaves the request anonymous; the security chain then answers 401 where one is
 * needed. Credentials are only read from the header, never from a URL. An API key that cannot be
 * looked up because the database is away gets a 503, not a 401 that would call the key bad.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final String PREFIX = "Bearer ";

	private final BearerAuthentication authentication;

	private final ObjectMapper json;

	BearerTokenFilter(BearerAuthentication authentication, ObjectMapper json) {
		this.authentication = authentication;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
			try {
				this.authentication.authenticate(header.substring(PREFIX.length()).trim()).ifPresent(user -> {
					var token = new UsernamePasswordAuthenticationToken(user, null, List.of());
					SecurityContextHolder.getContext().setAuthentication(token);
				});
			}
			catch (DataAccessException ex) {
				unavailable(response);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private void unavailable(HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, "5");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), Problems.body(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
				"Service unavailable", "The service is briefly unavailable. Please retry in a few seconds."));
	}

}
