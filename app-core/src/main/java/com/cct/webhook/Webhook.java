package com.cct.webhook;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.util.Assert;

/**
 * An account's endpoint for task endings. {@code events} is the comma-separated list of the
 * {@link WebhookEvent} ids it subscribed to; {@code secret} signs every delivery.
 */
@Table("webhooks")
public record Webhook(@Id UUID id, UUID userId, String url, String events, String secret, Instant createdAt) {

	public Webhook {
		Assert.notNull(id, "a webhook has an id");
		Assert.notNull(userId, "a webhook has an owner");
		Assert.hasText(url, "a webhook has a URL");
		Assert.hasText(secret, "a webhook has a secret");
	}

	public static Webhook of(UUID userId, String url, Set<WebhookEvent> events, String secret, Instant now) {
		Assert.notEmpty(events, "a webhook subscribes to at least one event");
		String ids = events.stream().sorted().map(WebhookEvent::id).collect(Collectors.joining(","));
		return new Webhook(UUID.randomUUID(), userId, url, ids, secret, now);
	}

	public Set<WebhookEvent> eventSet() {
		Set<WebhookEvent> set = EnumSet.noneOf(WebhookEvent.class);
		Arrays.stream(this.events.split(",")).map(WebhookEvent::parse).forEach(event -> event.ifPresent(set::add));
		return set;
	}

	public boolean subscribesTo(WebhookEvent event) {
		return eventSet().contains(event);
	}

}
