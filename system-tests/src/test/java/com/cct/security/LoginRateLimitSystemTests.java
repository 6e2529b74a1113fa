package com.cct.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cct.support.Api;
import com.cct.support.TestStack;

/**
 * With the default limits: password guessing against one name from one address is cut off after 10
 * failures a minute with 429 and Retry-After, while everyone else logs in as usual. Every request
 * here comes from 127.0.0.1; FairAuthSystemTests shows, with several client addresses, that the
 * owner still gets in from another one. The per-address limit is covered there and by
 * LoginRateLimiterTests: the whole suite logs in from 127.0.0.1 and must not hit it here.
 */
class LoginRateLimitSystemTests {

	private static final int PER_USER = 10;

	static Api api;

	@BeforeAll
	static void startStack() {
		api = TestStack.shared().api();
	}

	@Test
	void refusesGuessesFromTheGuessersAddressBeyondTheLimitEvenWithTheRightPassword() {
		Api.User victim = api.newUser();
		// newUser() logged in once successfully, which clears the count
		for (int i = 0; i < PER_USER; i++) {
			assertThat(api.login(victim.username(), "guess-" + i).status()).isEqualTo(401);
		}

		Api.Response blocked = api.login(victim.username(), victim.password());

		assertThat(blocked.status()).isEqualTo(429);
		assertThat(blocked.header("Content-Type")).startsWith("application/problem+json");
		assertThat(blocked.json().get("type").asText()).isEqualTo("urn:cct:problem:too-many-logins");
		assertThat(blocked.json().get("status").asInt()).isEqualTo(429);
		assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);
		assertThat(blocked.json().has("token")).isFalse();
		// the name is matched without case at login, and so is its counter
		assertThat(api.login(victim.username().toUpperCase(), victim.password()).status()).isEqualTo(429);
	}

	@Test
	void leavesOtherUsersAlone() {
		Api.User victim = api.newUser();
		Api.User bystander = api.newUser();
		for (int i = 0; i <= PER_USER; i++) {
			api.login(victim.username(), "guess-" + i);
		}
		assertThat(api.login(victim.username(), "guess").status()).isEqualTo(429);

		Api.Response login = api.login(bystander.username(), bystander.password());
		assertThat(login.status()).isEqualTo(200);
		assertThat(api.get("/api/tasks", login.json().get("token").asText()).status()).isEqualTo(200);
		// a token issued before the lock-out still works: the limit guards guessing, not sessions
		assertThat(api.get("/api/tasks", victim.token()).status()).isEqualTo(200);
	}

	@Test
	void limitsUnknownNamesTheSameWaySoTheLimitRevealsNoAccounts() {
		String nobody = "nobody-" + UUID.randomUUID();
		for (int i = 0; i < PER_USER; i++) {
			assertThat(api.login(nobody, "guess-" + i).status()).isEqualTo(401);
		}
		assertThat(api.login(nobody, "guess").status()).isEqualTo(429);
	}

	@Test
	void aSuccessfulLoginBeforeTheLimitStartsTheCountAgain() {
		Api.User user = api.newUser();
		for (int i = 0; i < PER_USER - 1; i++) {
			api.login(user.username(), "typo-" + i);
		}
		assertThat(api.login(user.username(), user.password()).status()).isEqualTo(200);
		for (int i = 0; i < PER_USER - 1; i++) {
			assertThat(api.login(user.username(), "typo-again-" + i).status()).isEqualTo(401);
		}
	}

}
