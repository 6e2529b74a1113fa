package com.cct.notify;

import java.time.Clock;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.cct.job.VerificationJob;
import com.cct.user.User;
import com.cct.user.UserRepository;
import com.cct.user.VerificationTokens;

/**
 * The account mails: the verification link after a sign-up, and the note that an address was used
 * to sign up again. Like completion mails, written to the log when no SMTP host is set; a send
 * failure is thrown so JobRunr retries.
 */
@Component
class VerificationMailer implements VerificationJob {

	private static final Logger log = LoggerFactory.getLogger(VerificationMailer.class);

	private final UserRepository users;

	private final MailSettings settings;

	private final MailDelivery mail;

	private final Clock clock;

	VerificationMailer(UserRepository users, MailSettings settings, MailDelivery mail, Clock clock) {
		this.users = users;
		this.settings = settings;
		this.mail = mail;
		this.clock = clock;
	}

	@Override
	public void mailVerificationLink(UUID userId) {
		User user = this.users.findById(userId).orElse(null);
		if (user == null) {
			return;
		}
		// a retry makes a new token: only the link of the mail that went out last verifies
		String token = VerificationTokens.newToken();
		if (!this.users.startVerification(userId, VerificationTokens.hash(token),
				this.clock.instant().plus(VerificationTokens.VALIDITY))) {
			log.info("No verification mail for account {}: its address is verified already", userId);
			return;
		}
		send(user, "verification", AccountMail.verification(user.username(), this.settings.publicUrl(), token));
	}

	@Override
	public void mailAddressAlreadyUsed(UUID userId) {
		this.users.findById(userId)
			.ifPresent(user -> send(user, "address-used", AccountMail.addressUsed(user.username(), this.settings.publicUrl())));
	}

	private void send(User user, String kind, AccountMail mail) {
		this.mail.send(user.email(), mail.subject(), mail.text(), null, "X-CCT-Account-Mail", kind);
		log.info("Mailed account {} ({})", user.id(), kind);
	}

}
