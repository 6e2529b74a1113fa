package com.cct.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.cct.job.TaskJobs;
import com.cct.task.Task;

/** Enqueues a delivery job for every webhook of the owner that subscribed to a task's ending. */
@Component
public class WebhookDispatch {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatch.class);

	private final WebhookRepository webhooks;

	private final TaskJobs jobs;

	WebhookDispatch(WebhookRepository webhooks, TaskJobs jobs) {
		this.webhooks = webhooks;
		this.jobs = jobs;
	}

	public void taskEnded(Task task) {
		WebhookEvent.of(task.status()).ifPresent(event -> {
			try {
				this.webhooks.findByUserId(task.userId())
					.stream()
					.filter(webhook -> webhook.subscribesTo(event))
					.forEach(webhook -> this.jobs.enqueueWebhook(webhook.id(), task.id(), event.id(),
							task.finishedAt()));
			}
			catch (RuntimeException ex) {
				// the ending itself is committed; failing its caller now would not bring the delivery back
				log.warn("Task {} ended ({}) but its webhooks could not be enqueued: {}", task.id(), event.id(),
						ex.getMessage());
			}
		});
	}

}
