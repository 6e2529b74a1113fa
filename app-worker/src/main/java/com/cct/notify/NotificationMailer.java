package com.cct.notify;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.cct.job.NotificationJob;
import com.cct.task.Task;
import com.cct.task.TaskRepository;
import com.cct.user.User;
import com.cct.user.UserRepository;

/**
 * The notification job: mails the owner that a task ended, if the owner's address is verified. A send
 * failure is thrown so JobRunr retries this job, and only this job: the conversion is long done.
 */
@Component
class NotificationMailer implements NotificationJob {

	private static final Logger log = LoggerFactory.getLogger(NotificationMailer.class);

	private final TaskRepository tasks;

	private final UserRepository users;

	private final MailSettings settings;

	private final MailDelivery mail;

	NotificationMailer(TaskRepository tasks, UserRepository users, MailSettings settings, MailDelivery mail) {
		this.tasks = tasks;
		this.users = users;
		this.settings = settings;
		this.mail = mail;
	}

	@Override
	public void notifyOwner(UUID taskId) {
		Optional<Task> found = this.tasks.findById(taskId);
		if (found.isEmpty() || !found.get().mailsOwner()) {
			log.info("No mail for task {}: it is gone, running again, cancelled, or its owner opted out", taskId);
			return;
		}
		Task task = found.get();
		User owner = this.users.findById(task.userId()).orElse(null);
		if (owner == null) {
			return;
		}
		if (!this.users.isEmailVerified(owner.id())) {
			// an address typed at sign-up may be anyone's: it gets nothing until its owner follows the link
			log.info("No mail for task {}: the owner's address is not verified", taskId);
			return;
		}
		TaskMail mail = TaskMail.of(task, owner.username(), this.settings.publicUrl());
		this.mail.send(owner.email(), mail.subject(), mail.text(), mail.html(), "X-CCT-Task", task.id().toString());
		log.info("Mailed {} about task {}", owner.email(), taskId);
	}

}
