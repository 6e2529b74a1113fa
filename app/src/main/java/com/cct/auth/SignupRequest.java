package com.cct.auth;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Field names keep the original course contract ({@code password1}, {@code password2}). */
record SignupRequest(
		@NotBlank @Size(min = 3, max = 50) @Pattern(regexp = "[A-Za-z0-9_.-]+",
				message = "may contain letters, digits, '_', '.' and '-' only") String username,
		@NotBlank @Email @Size(max = 254) String email,
		@NotBlank @Size(min = 8, message = "must be at least 8 characters") String password1,
		@NotBlank String password2) {

	private static final Set<String> COMMON = Set.of("password", "password1", "12345678", "123456789",
			"1234567890", "qwertyui", "qwerty123", "iloveyou", "11111111", "abcdefgh", "letmein1", "passw0rd");

	@Schema(hidden = true)
	@AssertTrue(message = "passwords differ")
	boolean isPasswordsMatch() {
		return this.password1 == null || this.password1.equals(this.password2);
	}

	/** bcrypt reads 72 bytes; a longer password would be silently cut, so it is refused instead. */
	@Schema(hidden = true)
	@AssertTrue(message = "password is too long (72 bytes at most)")
	boolean isPasswordWithinBcryptLimit() {
		return this.password1 == null || this.password1.getBytes(StandardCharsets.UTF_8).length <= 72;
	}

	@Schema(hidden = true)
	@AssertTrue(message = "password is too weak: avoid common passwords and your user name")
	boolean isPasswordStrongEnough() {
		if (this.password1 == null) {
			return true;
		}
		String lower = this.password1.toLowerCase(Locale.ROOT);
		return !COMMON.contains(lower) && (this.username == null || !lower.contains(this.username.toLowerCase(Locale.ROOT)))
				&& this.password1.chars().distinct().count() >= 4;
	}

}
