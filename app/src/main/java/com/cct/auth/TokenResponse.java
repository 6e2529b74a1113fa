package com.cct.auth;

record TokenResponse(String token, String tokenType, long expiresIn) {

	static TokenResponse bearer(TokenService.IssuedToken issued) {
		return new TokenResponse(issued.token(), "Bearer", issued.expiresIn());
	}

}
