package com.cct.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** A stack's GreenMail as a user sees it: the account mails (verification link, address used again). */
public final class Mailbox {

	public static final String ACCOUNT_MAIL_HEADER = "X-CCT-Account-Mail";

	private static final Pattern LINK = Pattern.compile("https?://\\S+/api/auth/verify\\?token=([A-Za-z0-9_-]+)");

	private Mailbox() {
	}

	/** The account mails of the given kind ({@code verification}, {@code address-used}) sent to an address. */
	public static List<MimeMessage> accountMails(TestStack stack, String address, String kind) {
		return Arrays.stream(stack.mail().getReceivedMessages())
			.filter(message -> to(message, address) && kind.equals(header(message, ACCOUNT_MAIL_HEADER)))
			.toList();
	}

	/** Waits for the verification mail to the address and returns the link in it. */
	public static URI awaitVerificationLink(TestStack stack, String address) {
		List<MimeMessage> mails = await("the verification mail to " + address).atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> accountMails(stack, address, "verification"), found -> !found.isEmpty());
		try {
			Matcher link = LINK.matcher(mails.get(mails.size() - 1).getContent().toString());
			if (!link.find()) {
				throw new AssertionError("no verification link in the mail to " + address);
			}
			return URI.create(link.group());
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	/**
	 * Verifies the address as its owner would, by opening the mailed link (on the stack's own port),
	 * then removes that mail, so tests that count the mails of an address count their own only.
	 */
	public static void followVerificationLink(TestStack stack, String address) {
		URI link = awaitVerificationLink(stack, address);
		Api.Response verified = stack.api()
			.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + link.getRawPath() + "?" + link.getRawQuery()))
				.GET()
				.build());
		if (verified.status() != 200) {
			throw new AssertionError("verification link: " + verified.status() + " " + verified.text());
		}
		removeAccountMails(stack, address);
	}

	private static void removeAccountMails(TestStack stack, String address) {
		try {
			GreenMailUser user = stack.mail().getUserManager().getUserByEmail(address);
			if (user == null) {
				return;
			}
			MailFolder inbox = stack.mail().getManagers().getImapHostManager().getInbox(user);
			for (StoredMessage stored : inbox.getMessages()) {
				if (header(stored.getMimeMessage(), ACCOUNT_MAIL_HEADER) != null) {
					inbox.setFlags(new Flags(Flags.Flag.DELETED), true, stored.getUid(), null, false);
				}
			}
			inbox.expunge();
		}
		catch (Exception ex) {
			throw new AssertionError("could not remove the account mails of " + address, ex);
		}
	}

	private static boolean to(MimeMessage message, String address) {
		try {
			return Optional.ofNullable(message.getRecipients(Message.RecipientType.TO))
				.stream()
				.flatMap(Arrays::stream)
				.anyMatch(to -> to.toString().equalsIgnoreCase(address));
		}
		catch (jakarta.mail.MessagingException ex) {
			return false;
		}
	}

	private static String header(MimeMessage message, String name) {
		try {
			return message.getHeader(name, ",");
		}
		catch (jakarta.mail.MessagingException ex) {
			return null;
		}
	}

}
