package com.cct.auth;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.user.VerificationTokens;
import com.cct.web.Problems;

@Service
class AccountService {

	private static final int MAX_TOKEN_LENGTH = 100;

	private final UserRepository users;

	private final JdbcAggregateTemplate jdbc;

	private final PasswordEncoder encoder;

	private final AccountMails mails;

	/** Compared against when the user is unknown, so both failures cost the same bcrypt time. */
	private final String decoyHash;

	private final Clock clock;

	AccountService(UserRepository users, JdbcAggregateTemplate jdbc, PasswordEncoder encoder, AccountMails mails,
			Clock clock) {
		this.clock = clock;
		this.users = users;
		this.jdbc = jdbc;
		this.encoder = encoder;
		this.mails = mails;
		this.decoyHash = encoder.encode(UUID.randomUUID().toString());
	}

	/**
	 * A taken user name is a 409, as clients of the course contract expect. A taken email is not: the
	 * answer is the one a new account gets (an id, the name, the address), nothing is stored, and the
	 * address's owner is mailed a note instead, so the sign-up form cannot tell who has an account.
	 * Either way the password is hashed, so both answers take the same time.
	 */
	User signUp(SignupRequest request) {
		if (this.users.existsByUsernameIgnoreCase(request.username())) {
			throw usernameTaken();
		}
		String email = request.email().trim();
		User user = new User(UUID.randomUUID(), request.username(), email, this.encoder.encode(request.password1()),
				true, this.clock.instant());
		Optional<User> owner = this.users.findByEmailIgnoreCase(email);
		if (owner.isPresent()) {
			this.mails.addressUsed(owner.get().id());
			return user;
		}
		try {
			this.jdbc.insert(user);
		}
		catch (DuplicateKeyException ex) {
			// two sign-ups raced past the checks above; the unique indexes decided which field
			if (this.users.existsByUsernameIgnoreCase(request.username())) {
				throw usernameTaken();
			}
			this.users.findByEmailIgnoreCase(email).ifPresent(taken -> this.mails.addressUsed(taken.id()));
			return user;
		}
		this.mails.verificationLink(user.id());
		return user;
	}

	/** Follows a mailed link: true when the token was valid, and its address is now verified. */
	boolean verifyEmail(String token) {
		if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
			return false;
		}
		return this.users.completeVerification(VerificationTokens.hash(token.strip()), this.clock.instant());
	}

	/** The version a login token issued now carries (each password change moves it on). */
	int tokenVersion(User user) {
		return this.users.findTokenVersion(user.id()).orElse(0);
	}

	Optional<User> authenticate(String username, String password) {
		Optional<User> user = this.users.findByUsernameIgnoreCase(username);
		String hash = user.map(User::passwordHash).orElse(this.decoyHash);
		boolean matches = this.encoder.matches(password, hash);
		return matches ? user : Optional.empty();
	}

	private static RuntimeException usernameTaken() {
		return Problems.conflict("username-taken", "Username taken", "That username is already taken.");
	}

}
