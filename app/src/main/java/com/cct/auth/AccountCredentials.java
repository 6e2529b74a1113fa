package com.cct.auth;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.web.Problems;

/**
 * The password as the account's own changes need it: confirming it before the account is deleted,
 * changing it. Both need a login token and count as login attempts, so a stolen token cannot be used
 * to guess the password any faster than the login form allows.
 */
@Component
public class AccountCredentials {

	private final UserRepository users;

	private final PasswordEncoder encoder;

	private final LoginRateLimiter limiter;

	private final TokenService tokens;

	private final AccountMails mails;

	AccountCredentials(UserRepository users, PasswordEncoder encoder, LoginRateLimiter limiter, TokenService tokens,
			AccountMails mails) {
		this.mails = mails;
		this.users = users;
		this.encoder = encoder;
		this.limiter = limiter;
		this.tokens = tokens;
	}

	/** Passes when {@code password} is the account's; a 403 problem otherwise. */
	public User confirmPassword(AuthenticatedUser user, String password, String clientAddress) {
		user.requireLoginToken();
		this.limiter.attempt(user.username(), clientAddress);
		User owner = this.users.findById(user.id()).orElseThrow(AccountCredentials::gone);
		if (password == null || !this.encoder.matches(password, owner.passwordHash())) {
			throw Problems.problem(HttpStatus.FORBIDDEN, "wrong-password", "Wrong password",
					"The password is not the account's.");
		}
		this.limiter.succeeded(user.username(), clientAddress);
		return owner;
	}

	/**
	 * Sets a new password and refuses every login token issued before, the caller's included; the
	 * answer is a fresh token. API keys are not touched: they are revoked one by one.
	 */
	public TokenResponse changePassword(AuthenticatedUser user, String oldPassword, String newPassword,
			String clientAddress) {
		User owner = confirmPassword(user, oldPassword, clientAddress);
		String problem = PasswordRules.problem(newPassword, owner.username());
		if (problem != null) {
			throw Problems.badRequest("weak-password", "New password refused", "The new password " + problem + ".");
		}
		UUID id = owner.id();
		int version = this.users.changePassword(id, this.encoder.encode(newPassword))
			.orElseThrow(AccountCredentials::gone);
		return TokenResponse.bearer(this.tokens.issue(id, owner.username(), version));
	}

	/** Forgets what auth keeps about an account beside its row (its verification mail job). */
	public void forget(UUID userId) {
		this.mails.forget(userId);
	}

	private static RuntimeException gone() {
		return Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
				"The account of this token does not exist.");
	}

}
