package com.cct.auth;

/** A login token as clients get it (login, password change). */
public record TokenResponse(String token, String tokenType, long expiresIn) {

	static TokenResponse bearer(TokenService.IssuedToken issued) {
		return new TokenResponse(issued.token(), "Bearer", issued.expiresIn());
	}

}
