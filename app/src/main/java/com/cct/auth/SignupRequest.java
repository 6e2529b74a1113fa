package com.cct.auth;

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

	@Schema(hidden = true)
	@AssertTrue(message = "passwords differ")
	boolean isPasswordsMatch() {
		return this.password1 == null || this.password1.equals(this.password2);
	}

	/** bcrypt reads 72 bytes ({@link PasswordRules#MAX_BYTES}). */
	@Schema(hidden = true)
	@AssertTrue(message = "password is too long (72 bytes at most)")
	boolean isPasswordWithinBcryptLimit() {
		return this.password1 == null || PasswordRules.withinBcryptLimit(this.password1);
	}

	@Schema(hidden = true)
	@AssertTrue(message = "password is too weak: avoid common passwords and your user name")
	boolean isPasswordStrongEnough() {
		return this.password1 == null || PasswordRules.strongEnough(this.password1, this.username);
	}

}
