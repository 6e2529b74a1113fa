package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

class BearerTokenFilterTests {

	private final TokenService tokens = new TokenService(
			new JwtSettings("a-secret-for-the-filter-tests-of-32-bytes", Duration.ofHours(1)), new MockEnvironment(),
			Clock.systemUTC());

	private final BearerTokenFilter filter = new BearerTokenFilter(this.tokens);

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	private final MockFilterChain chain = new MockFilterChain();

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aValidTokenAuthenticatesTheRequestAsItsUser() throws Exception {
		Authentication authentication = filter("Bearer " + token());

		assertThat(authentication).isNotNull();
		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(authentication.getPrincipal()).isEqualTo(this.alice);
		assertThat(authentication.getCredentials()).isNull();
		assertThat(this.chain.getRequest()).as("the chain went on").isNotNull();
	}

	@Test
	void theSchemeIsMatchedIgnoringCaseAndTheTokenTrimmed() throws Exception {
		assertThat(filter("bearer " + token())).isNotNull();
		SecurityContextHolder.clearContext();
		assertThat(filter("BEARER   " + token() + "  ")).isNotNull();
	}

	@Test
	void aBadTokenLeavesTheRequestAnonymousButLetsItThrough() throws Exception {
		assertThat(filter("Bearer " + token() + "tampered")).isNull();
		assertThat(this.chain.getRequest()).isNotNull();
	}

	@Test
	void otherSchemesAreIgnored() throws Exception {
		assertThat(filter("Basic YWxpY2U6c2VjcmV0")).isNull();
		assertThat(filter("Token " + token())).isNull();
		assertThat(filter("Bearer" + token())).isNull();
	}

	@Test
	void aRequestWithoutTheHeaderGoesOnAnonymous() throws Exception {
		this.filter.doFilter(new MockHttpServletRequest("GET", "/api/tasks"), new MockHttpServletResponse(),
				this.chain);

		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(this.chain.getRequest()).isNotNull();
	}

	@Test
	void aTokenInTheUrlIsNotRead() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/tasks");
		request.setParameter("access_token", token());
		request.setQueryString("access_token=" + token());

		this.filter.doFilter(request, new MockHttpServletResponse(), this.chain);

		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	private String token() {
		return this.tokens.issue(this.alice.id(), this.alice.username()).token();
	}

	private Authentication filter(String authorization) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/tasks");
		request.addHeader(HttpHeaders.AUTHORIZATION, authorization);
		this.chain.reset();
		this.filter.doFilter(request, new MockHttpServletResponse(), this.chain);
		return SecurityContextHolder.getContext().getAuthentication();
	}

}
