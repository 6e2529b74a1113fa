package com.cct.webhook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jobrunr.server.runner.ThreadLocalJobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Component;

import com.cct.job.TaskJobs;
import com.cct.job.WebhookJob;
import com.cct.system.Texts;
import com.cct.task.Task;
import com.cct.task.TaskRepository;
import com.cct.task.TaskResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The webhook job. The body is the task as {@code GET /api/tasks/{id}} shows it now, in an envelope
 * naming the event and the delivery. An answer other than 2xx, or none, is logged and thrown so
 * JobRunr retries with back-off; an address refused at delivery time is logged and not retried (the
 * owner must change the webhook). A webhook or task deleted meanwhile ends the delivery quietly.
 */
@Component
class WebhookDeliverer implements WebhookJob {

	private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

	private static final int MAX_ERROR = 497;

	private final WebhookRepository webhooks;

	private final WebhookDeliveryRepository deliveries;

	private final TaskRepository tasks;

	private final JdbcAggregateTemplate jdbc;

	private final WebhookSender sender;

	private final WebhookSettings settings;

	private final ObjectMapper json;

	private final Clock clock;

	WebhookDeliverer(WebhookRepository webhooks, WebhookDeliveryRepository deliveries, TaskRepository tasks,
			JdbcAggregateTemplate jdbc, WebhookSender sender, WebhookSettings settings, ObjectMapper json, Clock clock) {
		this.webhooks = webhooks;
		this.deliveries = deliveries;
		this.tasks = tasks;
		this.jdbc = jdbc;
		this.sender = sender;
		this.settings = settings;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public void deliver(UUID webhookId, UUID taskId, String event) throws IOException {
		Optional<Webhook> webhook = this.webhooks.findById(webhookId);
		Optional<Task> task = this.tasks.findById(taskId);
		if (webhook.isEmpty() || task.isEmpty()) {
			log.info("No delivery to webhook {} about task {}: one of them is gone", webhookId, taskId);
			return;
		}
		UUID deliveryId = deliveryId(webhookId, task.get());
		int attempt = (int) this.deliveries.countByDeliveryId(deliveryId) + 1;
		Instant now = this.clock.instant();
		byte[] body = body(deliveryId, event, task.get());
		URI url = URI.create(webhook.get().url());
		List<InetAddress> addresses;
		try {
			addresses = WebhookAddresses.resolve(url.getHost(), this.settings.allowPrivate());
		}
		catch (RefusedAddressException ex) {
			record(deliveryId, webhookId, event, taskId, attempt, now, null, "Refused: " + ex.getMessage());
			log.warn("Webhook {} not called for task {}: {}", webhookId, taskId, ex.getMessage());
			return;
		}
		Map<String, String> headers = Map.of(WebhookSignature.HEADER,
				WebhookSignature.header(webhook.get().secret(), now.getEpochSecond(), body), "Cct-Delivery",
				deliveryId.toString(), "Cct-Event", event);
		WebhookSender.Answer answer;
		try {
			answer = this.sender.post(url, addresses, headers, body);
		}
		catch (IOException | RuntimeException ex) {
			String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
			record(deliveryId, webhookId, event, taskId, attempt, now, null, reason);
			throw new IOException("Webhook " + webhookId + " unreachable: " + reason, ex);
		}
		if (!answer.accepted()) {
			record(deliveryId, webhookId, event, taskId, attempt, now, answer.code(),
					answer.head().isBlank() ? null : answer.head().strip());
			throw new IOException("Webhook " + webhookId + " answered " + answer.code());
		}
		record(deliveryId, webhookId, event, taskId, attempt, now, answer.code(), null);
		log.info("Webhook {} told of task {} ({}), attempt {}", webhookId, taskId, event, attempt);
	}

	/** The job's own id (what enqueued it derived it); outside a job, derived the same way. */
	private static UUID deliveryId(UUID webhookId, Task task) {
		if (ThreadLocalJobContext.hasJobContext()) {
			return ThreadLocalJobContext.getJobContext().getJobId();
		}
		return TaskJobs.webhookDeliveryId(webhookId, task.id(), task.finishedAt());
	}

	private byte[] body(UUID deliveryId, String event, Task task) {
		try {
			return this.json.writeValueAsBytes(new Payload(deliveryId, event, task.finishedAt(), TaskResponse.of(task)));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void record(UUID deliveryId, UUID webhookId, String event, UUID taskId, int attempt, Instant at,
			Integer code, String error) {
		this.jdbc.insert(new WebhookDelivery(UUID.randomUUID(), deliveryId, webhookId, event, taskId, attempt, at, code,
				error == null ? null : Texts.abbreviate(error, MAX_ERROR)));
	}

	/** What a webhook receives. */
	record Payload(UUID id, String event, Instant occurredAt, TaskResponse task) {
	}

}
