package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.ErrorResponseException;

import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.user.VerificationTokens;

class AccountServiceTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final UserRepository users = mock(UserRepository.class);

	private final JdbcAggregateTemplate jdbc = mock(JdbcAggregateTemplate.class);

	private final PasswordEncoder encoder = mock(PasswordEncoder.class);

	private final AccountMails mails = mock(AccountMails.class);

	private final User alice = new User(UUID.randomUUID(), "alice", "alice@example.org", "hash", true, NOW);

	private final AccountService accounts;

	AccountServiceTests() {
		given(this.encoder.encode(any())).willReturn("hashed");
		this.accounts = new AccountService(this.users, this.jdbc, this.encoder, this.mails, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Nested
	class SignUp {

		@Test
		void aNewAccountIsStoredAndMailedItsVerificationLink() {
			User created = accounts.signUp(request("bob", " bob@example.org "));

			verify(jdbc).insert(created);
			verify(mails).verificationLink(created.id());
			assertThat(created.email()).isEqualTo("bob@example.org");
		}

		@Test
		void aTakenEmailAnswersLikeANewAccountStoresNothingAndMailsItsOwner() {
			given(users.findByEmailIgnoreCase("ALICE@example.org")).willReturn(Optional.of(alice));

			User answered = accounts.signUp(request("bob", "ALICE@example.org"));

			assertThat(answered.id()).isNotEqualTo(alice.id());
			assertThat(answered.username()).isEqualTo("bob");
			assertThat(answered.email()).isEqualTo("ALICE@example.org");
			verify(jdbc, never()).insert(any(User.class));
			verify(mails).addressUsed(alice.id());
			verify(mails, never()).verificationLink(any());
			// hashed all the same, so the answer takes as long as a real sign-up
			verify(encoder).encode("tr0ub4dor&3");
		}

		@Test
		void aTakenUserNameIsAConflict() {
			given(users.existsByUsernameIgnoreCase("alice")).willReturn(true);

			ErrorResponseException taken = catchThrowableOfType(ErrorResponseException.class,
					() -> accounts.signUp(request("alice", "new@example.org")));

			assertThat(taken.getStatusCode().value()).isEqualTo(409);
			assertThat(taken.getBody().getType()).hasToString("urn:cct:problem:username-taken");
		}

		@Test
		void anEmailTakenByARacingSignUpIsStillAnsweredLikeANewAccount() {
			given(jdbc.insert(any(User.class))).willThrow(new DuplicateKeyException("users_email_key"));
			given(users.findByEmailIgnoreCase("alice@example.org")).willReturn(Optional.empty(), Optional.of(alice));

			User answered = accounts.signUp(request("bob", "alice@example.org"));

			assertThat(answered.username()).isEqualTo("bob");
			verify(mails).addressUsed(alice.id());
			verify(mails, never()).verificationLink(any());
		}

		private SignupRequest request(String username, String email) {
			return new SignupRequest(username, email, "tr0ub4dor&3", "tr0ub4dor&3");
		}

	}

	@Nested
	class Verify {

		@Test
		void looksTheTokenUpByItsHashOnly() {
			given(users.completeVerification(VerificationTokens.hash("the-token"), NOW)).willReturn(true);

			assertThat(accounts.verifyEmail("the-token")).isTrue();
			assertThat(accounts.verifyEmail("another-token")).isFalse();
		}

		@Test
		void refusesBlankAndOverlongTokensWithoutALookUp() {
			assertThat(accounts.verifyEmail(null)).isFalse();
			assertThat(accounts.verifyEmail(" ")).isFalse();
			assertThat(accounts.verifyEmail("x".repeat(101))).isFalse();
			verify(users, never()).completeVerification(any(), any());
		}

	}

}
