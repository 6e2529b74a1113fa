package com.cct.auth;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.ErrorResponseException;

import com.cct.user.User;
import com.cct.web.Problems;

@WebMvcTest(AuthController.class)
@Import(WebSliceSecurity.class)
class AuthControllerTests {

	private static final String PROBLEM = "urn:cct:problem:";

	private static final String PASSWORD = "tr0ub4dor&3";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccountService accounts;

	@MockitoBean
	TokenService tokens;

	@MockitoBean
	LoginRateLimiter limiter;

	@MockitoBean
	SignupRateLimiter signups;

	private final User alice = new User(UUID.randomUUID(), "alice", "alice@example.org", "$2a$10$hash", true,
			Instant.parse("2025-01-01T00:00:00Z"));

	@Nested
	class SignUp {

		@Test
		void createsTheAccountAndShowsItWithoutThePassword() throws Exception {
			given(accounts.signUp(any())).willReturn(alice);

			mvc.perform(signup("alice", "alice@example.org", PASSWORD, PASSWORD))
				.andExpect(status().isCreated())
				.andExpect(header().string(HttpHeaders.LOCATION, "/api/auth/users/" + alice.id()))
				.andExpect(jsonPath("$.id").value(alice.id().toString()))
				.andExpect(jsonPath("$.username").value("alice"))
				.andExpect(jsonPath("$.email").value("alice@example.org"))
				.andExpect(jsonPath("$.passwordHash").doesNotExist())
				.andExpect(jsonPath("$.password1").doesNotExist());
			verify(accounts).signUp(new SignupRequest("alice", "alice@example.org", PASSWORD, PASSWORD));
		}

		@Test
		void invalidFieldsAreA400ListingThemAndNoAccountIsCreated() throws Exception {
			mvc.perform(signup("a b", "nope", PASSWORD, PASSWORD + "x"))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-fields"))
				.andExpect(jsonPath("$.errors.username[0]").value("may contain letters, digits, '_', '.' and '-' only"))
				.andExpect(jsonPath("$.errors.email").isArray())
				.andExpect(jsonPath("$.errors.passwordsMatch[0]").value("passwords differ"));
			verifyNoInteractions(accounts);
		}

		@Test
		void aTakenUserNameIsTheServicesConflict() throws Exception {
			given(accounts.signUp(any()))
				.willThrow(Problems.conflict("username-taken", "Username taken", "That username is already taken."));

			mvc.perform(signup("alice", "alice@example.org", PASSWORD, PASSWORD))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.type").value(PROBLEM + "username-taken"));
		}

		@Test
		void isCountedPerClientAddressAndRefusedPastTheLimitWithoutTouchingAccounts() throws Exception {
			ErrorResponseException tooMany = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-signups",
					"Too many sign-ups", "Try again in 60 seconds.");
			tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, "60");
			willThrow(tooMany).given(signups).attempt("127.0.0.1");

			mvc.perform(signup("alice", "alice@example.org", PASSWORD, PASSWORD))
				.andExpect(status().isTooManyRequests())
				.andExpect(header().string(HttpHeaders.RETRY_AFTER, "60"))
				.andExpect(jsonPath("$.type").value(PROBLEM + "too-many-signups"));
			verifyNoInteractions(accounts);
		}

		@Test
		void isPublicButOnlyForPost() throws Exception {
			mvc.perform(get("/api/auth/signup")).andExpect(status().isUnauthorized());
		}

		private MockHttpServletRequestBuilder signup(String username, String email, String password1,
				String password2) {
			return post("/api/auth/signup").contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"username": "%s", "email": "%s", "password1": "%s", "password2": "%s"}"""
					.formatted(username, email, password1, password2));
		}

	}

	@Nested
	class Verify {

		@Test
		void aValidTokenVerifiesWithoutABearerToken() throws Exception {
			given(accounts.verifyEmail("the-token")).willReturn(true);

			mvc.perform(get("/api/auth/verify").param("token", "the-token"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.emailVerified").value(true));
		}

		@Test
		void anUnknownOrMissingTokenIsA400Problem() throws Exception {
			mvc.perform(get("/api/auth/verify").param("token", "nope"))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-verification-link"));
			mvc.perform(get("/api/auth/verify"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-verification-link"));
		}

	}

	@Nested
	class Login {

		@Test
		void theRightPasswordGivesABearerTokenAndClearsTheUsersCount() throws Exception {
			given(accounts.authenticate("alice", PASSWORD)).willReturn(Optional.of(alice));
			given(tokens.issue(alice.id(), "alice", 0)).willReturn(new TokenService.IssuedToken("the.jwt.token", 3600));

			mvc.perform(login("alice", PASSWORD))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.token").value("the.jwt.token"))
				.andExpect(jsonPath("$.tokenType").value("Bearer"))
				.andExpect(jsonPath("$.expiresIn").value(3600));
			verify(limiter).attempt("alice", "127.0.0.1");
			verify(limiter).succeeded("alice", "127.0.0.1");
		}

		@Test
		void aWrongPasswordIsBadCredentialsAndTheCountStays() throws Exception {
			given(accounts.authenticate("alice", "wrong-password")).willReturn(Optional.empty());

			mvc.perform(login("alice", "wrong-password"))
				.andExpect(status().isUnauthorized())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value(PROBLEM + "bad-credentials"))
				.andExpect(jsonPath("$.detail").value("Unknown user or wrong password."));
			verify(limiter).attempt("alice", "127.0.0.1");
			verify(limiter, never()).succeeded(anyString(), anyString());
			verifyNoInteractions(tokens);
		}

		@Test
		void aBlockedCallerIsTooManyRequestsWithRetryAfterAndNoPasswordCheck() throws Exception {
			ErrorResponseException tooMany = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
					"Too many login attempts", "Try again in 42 seconds.");
			tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, "42");
			willThrow(tooMany).given(limiter).attempt(anyString(), anyString());

			mvc.perform(login("alice", PASSWORD))
				.andExpect(status().isTooManyRequests())
				.andExpect(header().string(HttpHeaders.RETRY_AFTER, "42"))
				.andExpect(jsonPath("$.type").value(PROBLEM + "too-many-logins"));
			verifyNoInteractions(accounts);
		}

		@Test
		void aBlankUserNameIsAnInvalidFieldBeforeAnyCounting() throws Exception {
			mvc.perform(login(" ", PASSWORD))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.type").value(PROBLEM + "invalid-fields"))
				.andExpect(jsonPath("$.errors.username").isArray());
			verifyNoInteractions(limiter, accounts);
		}

		private MockHttpServletRequestBuilder login(String username, String password) {
			return post("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"%s\", \"password\": \"%s\"}".formatted(username, password));
		}

	}

}
