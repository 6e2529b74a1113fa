package com.cct.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.mail.MailProperties;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Sends our mails: through SMTP when {@code SPRING_MAIL_HOST} is set (Spring Boot builds a mail
 * sender only then), else into the log. A send failure is thrown, so the JobRunr job that sends
 * retries, and only that job.
 */
@Component
class MailDelivery {

	private static final Logger log = LoggerFactory.getLogger(MailDelivery.class);

	private final MailSettings settings;

	private final JavaMailSender sender;

	MailDelivery(MailSettings settings, ObjectProvider<JavaMailSender> sender, ObjectProvider<MailProperties> mail) {
		this.settings = settings;
		this.sender = sender.getIfAvailable();
		if (this.sender == null) {
			log.info("No SMTP host configured (SPRING_MAIL_HOST): mails are written to the log");
		}
		else {
			log.info("Mails go through SMTP at {}", mail.getObject().getHost());
		}
	}

	/**
	 * @param html the HTML alternative, or null for plain text only
	 * @param header a header that says what the mail is about (its value names the task or kind)
	 */
	void send(String to, String subject, String text, String html, String header, String headerValue) {
		if (this.sender == null) {
			log.info("Mail to {}: {}\n{}", to, subject, text);
			return;
		}
		try {
			MimeMessage message = this.sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, html != null, "UTF-8");
			helper.setFrom(this.settings.from());
			helper.setTo(to);
			helper.setSubject(subject);
			if (html != null) {
				helper.setText(text, html);
			}
			else {
				helper.setText(text);
			}
			message.setHeader(header, headerValue);
			this.sender.send(message);
		}
		catch (MessagingException ex) {
			throw new IllegalStateException("Could not build the mail " + header + ": " + headerValue, ex);
		}
	}

}
