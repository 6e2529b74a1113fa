package com.cct.auth;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import com.cct.web.Problems;

/**
 * Who a request comes from, as its verified token or API key says, and which of the two it sent.
 * Controllers take it as a parameter.
 */
public record AuthenticatedUser(UUID id, String username, Credential credential) {

	/** What the request authenticated with. */
	public enum Credential {

		/** A token from {@code POST /api/auth/login}: its holder knew the password an hour ago at most. */
		LOGIN_TOKEN,

		/** A long-lived API key ({@code cct_...}). */
		API_KEY

	}

	public AuthenticatedUser(UUID id, String username) {
		this(id, username, Credential.LOGIN_TOKEN);
	}

	/**
	 * Managing API keys and changing the account need a login token: a leaked key must not be able to
	 * mint more keys, outlive its revocation or take the account over.
	 */
	public void requireLoginToken() {
		if (this.credential != Credential.LOGIN_TOKEN) {
			throw Problems.problem(HttpStatus.FORBIDDEN, "login-token-required", "Login token required",
					"API keys cannot manage API keys or change the account. Log in at /api/auth/login "
							+ "and send that token instead.");
		}
	}

}
