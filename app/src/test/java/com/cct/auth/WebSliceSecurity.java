package com.cct.auth;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mock.env.MockEnvironment;

import com.cct.keys.ApiKeys;
import com.cct.user.UserRepository;

/**
 * The application's own security chain for {@code @WebMvcTest} slices, with a token service on a
 * fixed test secret, and {@link Tokens} to send real bearer tokens from tests in other packages.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
public class WebSliceSecurity {

	static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256-signing";

	@Bean
	TokenService tokenService() {
		return new TokenService(new JwtSettings(SECRET, Duration.ofHours(1)), new MockEnvironment(), Clock.systemUTC());
	}

	/**
	 * Bearer checks as in production, over a stand-in account store in which every account exists at
	 * token version 0, and no API key is known.
	 */
	@Bean
	BearerAuthentication bearerAuthentication(TokenService tokenService) {
		UserRepository users = mock(UserRepository.class);
		when(users.findTokenVersion(any())).thenReturn(Optional.of(0));
		return new BearerAuthentication(tokenService, users, mock(ApiKeys.class));
	}

	@Bean
	Tokens tokens(TokenService tokenService) {
		return new Tokens(tokenService);
	}

	/** Issues the {@code Authorization} header value a real client would send. */
	public static final class Tokens {

		private final TokenService tokens;

		Tokens(TokenService tokens) {
			this.tokens = tokens;
		}

		public String bearer(AuthenticatedUser user) {
			return "Bearer " + this.tokens.issue(user.id(), user.username()).token();
		}

	}

}
