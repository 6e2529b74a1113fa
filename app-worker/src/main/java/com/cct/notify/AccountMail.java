package com.cct.notify;

import java.net.URI;

/** The words of the account mails, in plain text: a link to verify, or a note about a second sign-up. */
record AccountMail(String subject, String text) {

	static AccountMail verification(String username, URI publicUrl, String token) {
		String link = base(publicUrl) + "/api/auth/verify?token=" + token;
		return new AccountMail("Confirm your address for Cloud Conversion Tool", """
				Hello %s,

				Please confirm that this address belongs to your account by opening this link
				(valid for 2 days):

				%s

				Until then your conversions work as usual, but no mail is sent to you.
				If you did not sign up, ignore this mail: nothing will be sent to you again.

				Cloud Conversion Tool
				""".formatted(username, link));
	}

	static AccountMail addressUsed(String username, URI publicUrl) {
		return new AccountMail("Someone tried to sign up with your address", """
				Hello %s,

				Someone (perhaps you) just tried to create an account on Cloud Conversion Tool with
				this address. This address already belongs to your account "%s", so no new account
				was made. To use the service, log in as %s at %s

				If it was not you, you need not do anything.

				Cloud Conversion Tool
				""".formatted(username, username, username, base(publicUrl) + "/"));
	}

	private static String base(URI publicUrl) {
		return publicUrl.toString().replaceAll("/+$", "");
	}

}
