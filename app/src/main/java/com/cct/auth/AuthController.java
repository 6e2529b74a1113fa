package com.cct.auth;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.user.User;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

@RestController
@RequestMapping("/api/auth")
@Tag(name = "Accounts")
class AuthController {

	private final AccountService accounts;

	private final TokenService tokens;

	private final LoginRateLimiter limiter;

	AuthController(AccountService accounts, TokenService tokens, LoginRateLimiter limiter) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.limiter = limiter;
	}

	@PostMapping("/signup")
	@Operation(summary = "Create an account")
	@ApiResponse(responseCode = "201", description = "Account created")
	@ApiResponse(responseCode = "400", description = "Invalid fields, passwords differ or too weak")
	@ApiResponse(responseCode = "409", description = "Username or email taken")
	ResponseEntity<AccountResponse> signUp(@Valid @RequestBody SignupRequest request) {
		User user = this.accounts.signUp(request);
		return ResponseEntity.created(URI.create("/api/auth/users/" + user.id()))
			.body(new AccountResponse(user.id(), user.username(), user.email()));
	}

	@PostMapping("/login")
	@Operation(summary = "Exchange username and password for a bearer token")
	@ApiResponse(responseCode = "200", description = "Token issued")
	@ApiResponse(responseCode = "401", description = "Unknown user or wrong password (one answer for both)")
	@ApiResponse(responseCode = "429", description = "Too many attempts for this user name or address; see Retry-After")
	TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
		// the address Tomcat saw: behind a proxy, only trusted once forwarded headers are configured
		this.limiter.attempt(request.username(), http.getRemoteAddr());
		User user = this.accounts.authenticate(request.username(), request.password())
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "bad-credentials", "Login failed",
					"Unknown user or wrong password."));
		this.limiter.succeeded(request.username());
		return TokenResponse.bearer(this.tokens.issue(user.id(), user.username()));
	}

}
