package com.cct.auth;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** What a new password must be, at sign-up and when it is changed. */
final class PasswordRules {

	static final int MIN_LENGTH = 8;

	/** bcrypt reads 72 bytes; a longer password would be silently cut, so it is refused instead. */
	static final int MAX_BYTES = 72;

	private static final Set<String> COMMON = Set.of("password", "password1", "12345678", "123456789",
			"1234567890", "qwertyui", "qwerty123", "iloveyou", "11111111", "abcdefgh", "letmein1", "passw0rd");

	private PasswordRules() {
	}

	static boolean withinBcryptLimit(String password) {
		return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
	}

	static boolean strongEnough(String password, String username) {
		String lower = password.toLowerCase(Locale.ROOT);
		return !COMMON.contains(lower) && (username == null || !lower.contains(username.toLowerCase(Locale.ROOT)))
				&& password.chars().distinct().count() >= 4;
	}

	/** Why the password may not be used, or null when it may. */
	static String problem(String password, String username) {
		if (password == null || password.length() < MIN_LENGTH) {
			return "must be at least " + MIN_LENGTH + " characters";
		}
		if (!withinBcryptLimit(password)) {
			return "password is too long (72 bytes at most)";
		}
		if (!strongEnough(password, username)) {
			return "password is too weak: avoid common passwords and your user name";
		}
		return null;
	}

}
