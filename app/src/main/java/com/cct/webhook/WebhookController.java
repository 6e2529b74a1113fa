package com.cct.webhook;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.cct.auth.AuthenticatedUser;
import com.cct.task.TaskIds;
import com.cct.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * An account's webhooks. The address is checked here (http/https, every DNS answer public unless
 * CCT_WEBHOOK_ALLOW_PRIVATE) and again by the worker at each delivery.
 */
@RestController
@RequestMapping("/api/webhooks")
@Tag(name = "Webhooks")
@SecurityRequirement(name = "bearer")
class WebhookController {

	private static final String NOT_FOUND = "No such webhook.";

	private static final int MAX_DELIVERIES = 100;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final WebhookRepository webhooks;

	private final WebhookDeliveryRepository deliveries;

	private final JdbcAggregateTemplate jdbc;

	private final WebhookSettings settings;

	private final Clock clock;

	WebhookController(WebhookRepository webhooks, WebhookDeliveryRepository deliveries, JdbcAggregateTemplate jdbc,
			WebhookSettings settings, Clock clock) {
		this.webhooks = webhooks;
		this.deliveries = deliveries;
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	@PostMapping
	@Operation(operationId = "createWebhook", summary = "Register a webhook", description = "Each subscribed ending of one of your tasks is "
			+ "POSTed to the URL as JSON {id, event, occurredAt, task}, signed: 'Cct-Signature: t=<unix seconds>,"
			+ "v1=<hex HMAC-SHA256 of \"t.body\" with the secret>'; 'Cct-Delivery' is the same for every attempt "
			+ "of one delivery. A non-2xx answer or no answer within 10 s is retried with back-off; redirects "
			+ "are not followed.")
	@ApiResponse(responseCode = "201", description = "Registered; 'secret' is shown this once")
	@ApiResponse(responseCode = "400", description = "Not http/https, unknown event, or the host resolves to a "
			+ "loopback, private, link-local or otherwise non-public address")
	@ApiResponse(responseCode = "409", description = "The account has the most webhooks it may have")
	ResponseEntity<CreatedWebhookResponse> create(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody WebhookRequest request) {
		Set<WebhookEvent> events = events(request.events());
		URI url = checked(request.url());
		if (this.webhooks.countByUserId(user.id()) >= this.settings.maxPerAccount()) {
			throw Problems.conflict("too-many-webhooks", "Too many webhooks", "An account may have "
					+ this.settings.maxPerAccount() + " webhooks. Delete one first (DELETE /api/webhooks/{id}).");
		}
		Webhook webhook = this.jdbc.insert(Webhook.of(user.id(), url.toString(), events, newSecret(),
				this.clock.instant()));
		WebhookResponse shown = WebhookResponse.of(webhook);
		return ResponseEntity.created(URI.create("/api/webhooks/" + webhook.id()))
			.body(new CreatedWebhookResponse(shown.id(), shown.url(), shown.events(), webhook.secret(),
					shown.createdAt()));
	}

	@GetMapping
	@Operation(operationId = "listWebhooks", summary = "Your webhooks (never their secrets)")
	List<WebhookResponse> list(@AuthenticationPrincipal AuthenticatedUser user) {
		return this.webhooks.findByUserId(user.id()).stream().map(WebhookResponse::of).toList();
	}

	@DeleteMapping("/{id}")
	@Operation(operationId = "deleteWebhook", summary = "Remove a webhook; deliveries still queued for it are dropped")
	@ApiResponse(responseCode = "204", description = "Removed")
	@ApiResponse(responseCode = "404", description = "No such webhook, or not yours")
	ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id) {
		if (!this.webhooks.deleteByIdAndUserId(TaskIds.parse(id, NOT_FOUND), user.id())) {
			throw Problems.notFound(NOT_FOUND);
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{id}/deliveries")
	@Operation(operationId = "listWebhookDeliveries", summary = "The webhook's latest delivery attempts, newest first")
	@ApiResponse(responseCode = "200", description = "The attempts, newest first")
	@ApiResponse(responseCode = "400", description = "'max' outside 1-100")
	@ApiResponse(responseCode = "404", description = "No such webhook, or not yours")
	List<DeliveryResponse> deliveries(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable String id,
			@Parameter(description = "How many attempts at most (1-100)") @RequestParam(defaultValue = "20") int max) {
		if (max < 1 || max > MAX_DELIVERIES) {
			throw Problems.badRequest("invalid-max", "Invalid max", "'max' must be between 1 and " + MAX_DELIVERIES + ".");
		}
		Webhook webhook = this.webhooks.findByIdAndUserId(TaskIds.parse(id, NOT_FOUND), user.id())
			.orElseThrow(() -> Problems.notFound(NOT_FOUND));
		return this.deliveries.findLatest(webhook.id(), max).stream().map(DeliveryResponse::of).toList();
	}

	private static Set<WebhookEvent> events(List<String> names) {
		Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
		for (String name : names) {
			events.add(WebhookEvent.parse(name).orElseThrow(() -> Problems.badRequest("unknown-event", "Unknown event",
					"'" + name + "' is no event; use task.processed, task.failed or task.cancelled.")));
		}
		return events;
	}

	private URI checked(String url) {
		try {
			URI uri = WebhookAddresses.parse(url);
			if (!this.settings.allowPrivate()) {
				WebhookAddresses.resolve(uri.getHost(), false);
			}
			return uri;
		}
		catch (RefusedAddressException ex) {
			throw Problems.badRequest("webhook-url-refused", "Webhook URL refused", ex.getMessage());
		}
	}

	private static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	record WebhookRequest(@NotNull @Schema(example = "https://example.com/hooks/cct") String url,
			@NotEmpty @ArraySchema(schema = @Schema(allowableValues = { "task.processed", "task.failed",
					"task.cancelled" })) List<String> events) {
	}

	record WebhookResponse(UUID id, String url, List<String> events, Instant createdAt) {

		static WebhookResponse of(Webhook webhook) {
			return new WebhookResponse(webhook.id(), webhook.url(),
					webhook.eventSet().stream().map(WebhookEvent::id).toList(), webhook.createdAt());
		}

	}

	record CreatedWebhookResponse(UUID id, String url, List<String> events,
			@Schema(description = "Signs every delivery; shown this once") String secret, Instant createdAt) {
	}

	record DeliveryResponse(UUID deliveryId, String event, UUID taskId, Instant attemptedAt, int attempt,
			Integer responseCode, String error) {

		static DeliveryResponse of(WebhookDelivery delivery) {
			return new DeliveryResponse(delivery.deliveryId(), delivery.event(), delivery.taskId(),
					delivery.attemptedAt(), delivery.attempt(), delivery.responseCode(), delivery.error());
		}

	}

}
