package com.cct.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Cct-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}: the time is signed with
 * the body, so a receiver can refuse old replays as well as forged bodies.
 */
final class WebhookSignature {

	static final String HEADER = "Cct-Signature";

	private WebhookSignature() {
	}

	static String header(String secret, long epochSeconds, byte[] body) {
		return "t=" + epochSeconds + ",v1=" + hmac(secret, epochSeconds, body);
	}

	static String hmac(String secret, long epochSeconds, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("every JVM has HmacSHA256", ex);
		}
	}

}
