package com.cct.webhook;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One attempt at delivering one ending to one webhook: the answer's status code, or why there was
 * none. {@code deliveryId} is the same for every attempt of a delivery (the {@code Cct-Delivery}
 * header), so receivers can drop repeats.
 */
@Table("webhook_deliveries")
public record WebhookDelivery(@Id UUID id, UUID deliveryId, UUID webhookId, String event, UUID taskId, int attempt,
		Instant attemptedAt, Integer responseCode, String error) {

	public boolean succeeded() {
		return this.responseCode != null && this.responseCode >= 200 && this.responseCode < 300;
	}

}
