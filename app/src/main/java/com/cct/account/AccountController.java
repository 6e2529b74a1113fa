package com.cct.account;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.cct.task.TaskUsage;
import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/api/account")
@Tag(name = "Accounts")
@SecurityRequirement(name = "bearer")
class AccountController {

	private final UserRepository users;

	private final TaskUsage usage;

	AccountController(UserRepository users, TaskUsage usage) {
		this.users = users;
		this.usage = usage;
	}

	@GetMapping
	@Operation(summary = "Your account: name, email and what you use of each limit")
	AccountResponse account(@AuthenticationPrincipal AuthenticatedUser user) {
		User owner = this.users.findById(user.id())
			.orElseThrow(() -> Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
					"The account of this token does not exist."));
		return new AccountResponse(owner.id(), owner.username(), owner.email(),
				AccountResponse.UsageResponse.of(this.usage.of(owner.id()), this.usage.limits()));
	}

}
