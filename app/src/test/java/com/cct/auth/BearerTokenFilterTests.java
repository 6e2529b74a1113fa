package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;

import com.cct.keys.ApiKeys;
import com.cct.user.UserRepository;
import com.fasterxml.jackson.databind.ObjectMapper;

class BearerTokenFilterTests {

	private final TokenService tokens = new TokenService(
			new JwtSettings("a-secret-for-the-filter-tests-of-32-bytes", Duration.ofHours(1)), new MockEnvironment(),
			Clock.systemUTC());

	private final UserRepository users = mock(UserRepository.class);

	private final ApiKeys keys = mock(ApiKeys.class);

	private final BearerTokenFilter filter = new BearerTokenFilter(
			new BearerAuthentication(this.tokens, this.users, this.keys), new ObjectMapper());

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	@BeforeEach
	void aliceHasNeverChangedHerPassword() {
		when(this.users.findTokenVersion(this.alice.id())).thenReturn(Optional.of(0));
	}

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

	@Test
	void aTokenIssuedBeforeThePasswordChangedIsRefused() throws Exception {
		String before = token();
		when(this.users.findTokenVersion(this.alice.id())).thenReturn(Optional.of(1));

		assertThat(filter("Bearer " + before)).as("cached signature, outdated version").isNull();
		SecurityContextHolder.clearContext();
		assertThat(filter("Bearer " + this.tokens.issue(this.alice.id(), "alice", 1).token())).isNotNull();
	}

	@Test
	void aTokenOfADeletedAccountIsRefused() throws Exception {
		String token = token();
		when(this.users.findTokenVersion(this.alice.id())).thenReturn(Optional.empty());

		assertThat(filter("Bearer " + token)).isNull();
	}

	@Test
	void aTokenStillWorksWhileTheDatabaseIsAwaySoRedisSnapshotsCanBeServed() throws Exception {
		String token = token();
		when(this.users.findTokenVersion(this.alice.id())).thenThrow(new CannotGetJdbcConnectionException("down"));

		assertThat(filter("Bearer " + token)).isNotNull();
	}

	@Test
	void anApiKeyAuthenticatesAsItsOwnerMarkedAsAKey() throws Exception {
		String key = "cct_" + "a".repeat(43);
		AuthenticatedUser viaKey = new AuthenticatedUser(this.alice.id(), "alice", AuthenticatedUser.Credential.API_KEY);
		when(this.keys.authenticate(key)).thenReturn(Optional.of(viaKey));

		Authentication authentication = filter("Bearer " + key);

		assertThat(authentication.getPrincipal()).isEqualTo(viaKey);
		assertThatThrownBy(viaKey::requireLoginToken).isInstanceOf(ErrorResponseException.class)
			.satisfies(ex -> assertThat(((ErrorResponseException) ex).getStatusCode().value()).isEqualTo(403));
	}

	@Test
	void anApiKeyThatCannotBeLookedUpGets503NotA401() throws Exception {
		String key = "cct_" + "b".repeat(43);
		when(this.keys.authenticate(key)).thenThrow(new CannotGetJdbcConnectionException("down"));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/tasks");
		request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.chain.reset();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(this.chain.getRequest()).as("the chain stopped").isNull();
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
