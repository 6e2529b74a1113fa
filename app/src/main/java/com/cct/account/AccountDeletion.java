package com.cct.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import com.cct.auth.AccountCredentials;
import com.cct.job.TaskJobs;
import com.cct.keys.ApiKeys;
import com.cct.task.Task;
import com.cct.task.TaskLifecycle;
import com.cct.task.TaskRepository;
import com.cct.user.UserRepository;
import com.cct.web.Problems;
import com.cct.webhook.Webhook;
import com.cct.webhook.WebhookRepository;

/**
 * Removes an account with everything it has, in an order that can stop anywhere and be run again:
 * every task through its lifecycle (a running one is cancelled first; then its job, row, snapshot
 * and folder go, and the mail and webhook jobs of its ending), then the API keys, the webhooks (with
 * their delivery log), the verification mail job and last the user row,
 * so the password and token that started the deletion work until nothing else is left.
 */
@Service
class AccountDeletion {

	private static final Logger log = LoggerFactory.getLogger(AccountDeletion.class);

	private static final int BATCH = 200;

	private final TaskRepository tasks;

	private final TaskLifecycle lifecycle;

	private final ApiKeys keys;

	private final WebhookRepository webhooks;

	private final UserRepository users;

	private final TaskJobs jobs;

	private final AccountCredentials credentials;

	AccountDeletion(TaskRepository tasks, TaskLifecycle lifecycle, ApiKeys keys, WebhookRepository webhooks,
			UserRepository users, TaskJobs jobs, AccountCredentials credentials) {
		this.jobs = jobs;
		this.credentials = credentials;
		this.tasks = tasks;
		this.lifecycle = lifecycle;
		this.keys = keys;
		this.webhooks = webhooks;
		this.users = users;
	}

	void delete(UUID userId) {
		List<UUID> webhookIds = this.webhooks.findByUserId(userId).stream().map(Webhook::id).toList();
		int removed = 0;
		for (List<Task> batch = this.tasks.findOldestFirst(userId, BATCH); !batch.isEmpty(); batch = this.tasks
			.findOldestFirst(userId, BATCH)) {
			batch.forEach(task -> remove(task, webhookIds));
			removed += batch.size();
		}
		int keyCount = this.keys.revokeAll(userId);
		int webhookCount = this.webhooks.deleteByUserId(userId);
		this.credentials.forget(userId);
		this.users.deleteById(userId);
		log.info("Account {} deleted: {} tasks, {} API keys, {} webhooks", userId, removed, keyCount, webhookCount);
	}

	private void remove(Task task, List<UUID> webhookIds) {
		Optional<Task> current = Optional.of(task);
		if (task.cancellable()) {
			// a queued or running conversion stops first (its ffmpeg is killed), like DELETE after cancel
			current = this.lifecycle.cancel(task).or(() -> this.tasks.findById(task.id()));
		}
		if (current.isEmpty()) {
			return;
		}
		if (!this.lifecycle.delete(current.get())) {
			throw Problems.conflict("account-busy", "Account busy",
					"A task of the account started processing meanwhile. Send the request again.");
		}
		// the mail and webhook jobs of its ending name the task: they go too (queued ones are not sent)
		this.jobs.deleteEndingJobs(task.id(), current.get().finishedAt(), webhookIds);
	}

}
