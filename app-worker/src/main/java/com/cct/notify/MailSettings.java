package com.cct.notify;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param from the sender ({@code CCT_MAIL_FROM})
 * @param publicUrl where users reach the service ({@code CCT_PUBLIC_URL}); links in mails start here
 */
@ConfigurationProperties("cct.mail")
record MailSettings(@DefaultValue("Cloud Conversion Tool <no-reply@localhost>") String from,
		@DefaultValue("http://localhost:8080") URI publicUrl) {
}
