package com.cct.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The tokens of mailed verification links: 256 random bits, URL-safe, stored only as their SHA-256.
 * A fast hash is enough for a random token (nothing to guess from a leaked hash); the worker makes
 * them and the web process checks them, so both use this one definition.
 */
public final class VerificationTokens {

	/** How long a mailed link verifies. */
	public static final Duration VALIDITY = Duration.ofDays(2);

	private static final SecureRandom RANDOM = new SecureRandom();

	private VerificationTokens() {
	}

	public static String newToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	public static String hash(String token) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

}
