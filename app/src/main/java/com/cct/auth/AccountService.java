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
import com.cct.web.Problems;

@Service
class AccountService {

	private final UserRepository users;

	private final JdbcAggregateTemplate jdbc;

	private final PasswordEncoder encoder;

	/** Compared against when the user is unknown, so both failures cost the same bcrypt time. */
	private final String decoyHash;

	private final Clock clock;

	AccountService(UserRepository users, JdbcAggregateTemplate jdbc, PasswordEncoder encoder, Clock clock) {
		this.clock = clock;
		this.users = users;
		this.jdbc = jdbc;
		this.encoder = encoder;
		this.decoyHash = encoder.encode(UUID.randomUUID().toString());
	}

	User signUp(SignupRequest request) {
		if (this.users.existsByUsernameIgnoreCase(request.username())) {
			throw Problems.conflict("username-taken", "Username taken", "That username is already taken.");
		}
		if (this.users.existsByEmailIgnoreCase(request.email())) {
			throw Problems.conflict("email-taken", "Email taken", "An account with that email already exists.");
		}
		User user = new User(UUID.randomUUID(), request.username(), request.email().trim(),
				this.encoder.encode(request.password1()), true, this.clock.instant());
		try {
			return this.jdbc.insert(user);
		}
		catch (DuplicateKeyException ex) {
			// two sign-ups raced past the checks above; the unique index decided
			throw Problems.conflict("account-taken", "Account exists", "That username or email is already taken.");
		}
	}

	Optional<User> authenticate(String username, String password) {
		Optional<User> user = this.users.findByUsernameIgnoreCase(username);
		String hash = user.map(User::passwordHash).orElse(this.decoyHash);
		boolean matches = this.encoder.matches(password, hash);
		return matches ? user : Optional.empty();
	}

}
