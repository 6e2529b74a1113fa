package com.cct.keys;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.cct.task.TaskIds;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Key management needs a login token: a key cannot make, list or revoke keys. */
@RestController
@RequestMapping("/api/keys")
@Tag(name = "API keys")
@SecurityRequirement(name = "bearer")
class ApiKeyController {

	private static final String NOT_FOUND = "No such API key.";

	private final ApiKeys keys;

	ApiKeyController(ApiKeys keys) {
		this.keys = keys;
	}

	@PostMapping
	@Operation(operationId = "createApiKey", summary = "Create an API key", description = "The key is in this answer only; it is stored as "
			+ "its hash. Send it as 'Authorization: Bearer cct_...' on any route a login token works on, "
			+ "except key management and account changes.")
	@ApiResponse(responseCode = "201", description = "Key created; 'key' is shown this once")
	@ApiResponse(responseCode = "400", description = "Missing or too long name, expiry not in the future")
	@ApiResponse(responseCode = "403", description = "Sent with an API key: log in instead")
	@ApiResponse(responseCode = "409", description = "The account has the most keys it may have")
	ResponseEntity<CreatedKeyResponse> create(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody CreateKeyRequest request) {
		user.requireLoginToken();
		ApiKeys.Created created = this.keys.create(user.id(), request.name(), request.expiresAt());
		ApiKey key = created.key();
		return ResponseEntity.created(URI.create("/api/keys/" + key.id()))
			.body(new CreatedKeyResponse(key.id(), key.name(), key.prefix(), created.secret(), key.createdAt(),
					key.expiresAt()));
	}

	@GetMapping
	@Operation(operationId = "listApiKeys", summary = "Your API keys (never the keys themselves)")
	@ApiResponse(responseCode = "200", description = "Your keys, oldest first")
	@ApiResponse(responseCode = "403", description = "Sent with an API key: log in instead")
	List<KeyResponse> list(@AuthenticationPrincipal AuthenticatedUser user) {
		user.requireLoginToken();
		return this.keys.list(user.id()).stream().map(KeyResponse::of).toList();
	}

	@DeleteMapping("/{id}")
	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key: the next request with it gets 401")
	@ApiResponse(responseCode = "204", description = "Revoked")
	@ApiResponse(responseCode = "403", description = "Sent with an API key: log in instead")
	@ApiResponse(responseCode = "404", description = "No such key, or not yours")
	ResponseEntity<Void> revoke(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id) {
		user.requireLoginToken();
		if (!this.keys.revoke(user.id(), TaskIds.parse(id, NOT_FOUND))) {
			throw Problems.notFound(NOT_FOUND);
		}
		return ResponseEntity.noContent().build();
	}

	record CreateKeyRequest(@NotBlank @Size(max = 100) String name,
			@Schema(description = "When the key stops working (optional; ISO-8601)") Instant expiresAt) {
	}

	record CreatedKeyResponse(UUID id, String name, String prefix, @Schema(description = "The key, shown this once") String key,
			Instant createdAt, Instant expiresAt) {
	}

	record KeyResponse(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {

		static KeyResponse of(ApiKey key) {
			return new KeyResponse(key.id(), key.name(), key.prefix(), key.createdAt(), key.lastUsedAt(),
					key.expiresAt());
		}

	}

}
