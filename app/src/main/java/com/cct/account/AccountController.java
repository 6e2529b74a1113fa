package com.cct.account;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AccountCredentials;
import com.cct.auth.AuthenticatedUser;
import com.cct.auth.TokenResponse;
import com.cct.task.TaskUsage;
import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/account")
@Tag(name = "Accounts")
@SecurityRequirement(name = "bearer")
class AccountController {

	private final UserRepository users;

	private final TaskUsage usage;

	private final AccountCredentials credentials;

	private final AccountDeletion deletion;

	AccountController(UserRepository users, TaskUsage usage, AccountCredentials credentials, AccountDeletion deletion) {
		this.users = users;
		this.usage = usage;
		this.credentials = credentials;
		this.deletion = deletion;
	}

	@GetMapping
	@Operation(operationId = "getAccount", summary = "Your account: name, email and what you use of each limit")
	AccountResponse account(@AuthenticationPrincipal AuthenticatedUser user) {
		User owner = this.users.findById(user.id())
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					"The account of this token does not exist."));
		return new AccountResponse(owner.id(), owner.username(), owner.email(),
				AccountResponse.UsageResponse.of(this.usage.of(owner.id()), this.usage.limits()));
	}

	@PostMapping("/password")
	@Operation(operationId = "changePassword", summary = "Change your password", description = "Needs a login token. Every login token issued "
			+ "before, the one sent included, is refused afterwards (401); the answer carries a fresh one. "
			+ "API keys stay valid: revoke them one by one.")
	@ApiResponse(responseCode = "200", description = "Password changed; a new token")
	@ApiResponse(responseCode = "400", description = "The new password is too short, too long or too weak")
	@ApiResponse(responseCode = "403", description = "Wrong old password, or sent with an API key")
	@ApiResponse(responseCode = "429", description = "Too many wrong passwords; see Retry-After")
	TokenResponse changePassword(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody PasswordChange request, HttpServletRequest http) {
		return this.credentials.changePassword(user, request.oldPassword(), request.newPassword(),
				http.getRemoteAddr());
	}

	@DeleteMapping
	@Operation(operationId = "deleteAccount", summary = "Delete your account", description = "Needs a login token and the password. Every "
			+ "task (running ones are cancelled), file, job, API key and webhook of the account is removed, "
			+ "then the account. Sending it again after an interruption finishes the job.")
	@ApiResponse(responseCode = "204", description = "The account and everything it had are gone")
	@ApiResponse(responseCode = "403", description = "Wrong password, or sent with an API key")
	@ApiResponse(responseCode = "409", description = "A task started processing meanwhile: send it again")
	@ApiResponse(responseCode = "429", description = "Too many wrong passwords; see Retry-After")
	ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody AccountDeletionRequest request, HttpServletRequest http) {
		this.credentials.confirmPassword(user, request.password(), http.getRemoteAddr());
		this.deletion.delete(user.id());
		return ResponseEntity.noContent().build();
	}

	record PasswordChange(@NotBlank @Size(max = 200) String oldPassword, @NotBlank @Size(max = 200) String newPassword) {
	}

	record AccountDeletionRequest(@NotBlank @Size(max = 200) String password) {
	}

}
