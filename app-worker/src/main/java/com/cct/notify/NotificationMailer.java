package com.cct.notify;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.mail.MailProperties;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import com.cct.job.NotificationJob;
import com.cct.task.Task;
import com.cct.task.TaskRepository;
import com.cct.user.User;
import com.cct.user.UserRepository;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The notification job: mails the owner that a task ended, if the owner's address is verified. Without an SMTP host (the local default)
 * the mail is written to the log instead. A send failure is thrown so JobRunr retries this job, and
 * only this job: the conversion is long done.
 */
@Component
class NotificationMailer implements NotificationJob {

	private static final Logger log = LoggerFactory.getLogger(NotificationMailer.class);

	private final TaskRepository tasks;

	private final UserRepository users;

	private final MailSettings settings;

	private final JavaMailSender sender;

	NotificationMailer(TaskRepository tasks, UserRepository users, MailSettings settings,
			ObjectProvider<JavaMailSender> sender, ObjectProvider<MailProperties> mail) {
		this.tasks = tasks;
		this.users = users;
		this.settings = settings;
		// Spring Boot builds a mail sender only when SPRING_MAIL_HOST is set
		this.sender = sender.getIfAvailable();
		if (this.sender == null) {
			log.info("No SMTP host configured (SPRING_MAIL_HOST): notification mails are written to the log");
		}
		else {
			log.info("Notification mails go through SMTP at {}", mail.getObject().getHost());
		}
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
		if (this.sender == null) {
			log.info("Mail to {}: {}\n{}", owner.email(), mail.subject(), mail.text());
			return;
		}
		try {
			MimeMessage message = this.sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
			helper.setFrom(this.settings.from());
			helper.setTo(owner.email());
			helper.setSubject(mail.subject());
			helper.setText(mail.text(), mail.html());
			message.setHeader("X-CCT-Task", task.id().toString());
			this.sender.send(message);
			log.info("Mailed {} about task {}", owner.email(), taskId);
		}
		catch (MessagingException ex) {
			throw new IllegalStateException("Could not build the mail for task " + taskId, ex);
		}
	}

}
