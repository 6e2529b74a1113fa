package com.cct.auth;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
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

	private final SignupRateLimiter signups;

	AuthController(AccountService accounts, TokenService tokens, LoginRateLimiter limiter, SignupRateLimiter signups) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.limiter = limiter;
		this.signups = signups;
	}

	@PostMapping("/signup")
	@Operation(summary = "Create an account", description = "The address is mailed a link to verify it; "
			+ "no other mail goes to it until then. An address that has an account already gets the same answer "
			+ "as a new one (nothing is created; its owner is mailed a note).")
	@ApiResponse(responseCode = "201", description = "Account created (or the address has one: see above)")
	@ApiResponse(responseCode = "400", description = "Invalid fields, passwords differ or too weak")
	@ApiResponse(responseCode = "409", description = "Username taken")
	@ApiResponse(responseCode = "429", description = "Too many sign-ups from this address; see Retry-After")
	ResponseEntity<AccountResponse> signUp(@Valid @RequestBody SignupRequest request, HttpServletRequest http) {
		// the real client behind trusted proxies (ClientAddressFilter)
		this.signups.attempt(http.getRemoteAddr());
		User user = this.accounts.signUp(request);
		return ResponseEntity.created(URI.create("/api/auth/users/" + user.id()))
			.body(new AccountResponse(user.id(), user.username(), user.email()));
	}

	@GetMapping("/verify")
	@Operation(summary = "Verify an account's address with the token of the mailed link")
	@ApiResponse(responseCode = "200", description = "Address verified; mails about tasks go to it from now on")
	@ApiResponse(responseCode = "400", description = "Unknown, used or expired link")
	VerificationResponse verify(@RequestParam(required = false) String token) {
		// a GET, since it is a link in a mail; the token is good once, so repeating it changes nothing
		if (!this.accounts.verifyEmail(token)) {
			throw Problems.badRequest("invalid-verification-link", "Invalid verification link",
					"This verification link is unknown, already used or expired.");
		}
		return new VerificationResponse(true, "Your address is verified: you will get a mail when a file is ready.");
	}

	@PostMapping("/login")
	@Operation(summary = "Exchange username and password for a bearer token")
	@ApiResponse(responseCode = "200", description = "Token issued")
	@ApiResponse(responseCode = "401", description = "Unknown user or wrong password (one answer for both)")
	@ApiResponse(responseCode = "429", description = "Too many failures for this user name from this address, "
			+ "or from this address; see Retry-After")
	TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
		// the real client behind trusted proxies (ClientAddressFilter), else the direct peer
		String client = http.getRemoteAddr();
		this.limiter.attempt(request.username(), client);
		User user = this.accounts.authenticate(request.username(), request.password())
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "bad-credentials", "Login failed",
					"Unknown user or wrong password."));
		this.limiter.succeeded(request.username(), client);
		return TokenResponse.bearer(this.tokens.issue(user.id(), user.username(), this.accounts.tokenVersion(user)));
	}

}
