package com.cct.keys;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.cct.auth.AuthenticatedUser;
import com.cct.user.UserRepository;
import com.cct.user.VerificationTokens;
import com.cct.web.Problems;

/**
 * Makes, checks and revokes API keys. A key is {@code cct_} and 32 random bytes in base62 (43
 * characters). Only its SHA-256 is stored: a key has 256 random bits, so a leaked hash cannot be
 * turned back into a key by guessing, and unlike a password it needs no slow hash; a fast one lets
 * every request find its key with one index lookup. Each request looks its key up again (nothing is
 * cached), so a revoked key is refused by the next request; the last use is written at most once a
 * minute per key.
 */
@Service
public class ApiKeys {

	public static final String PREFIX = "cct_";

	static final int MAX_PER_ACCOUNT = 20;

	private static final int RANDOM_BYTES = 32;

	/** 62^43 > 2^256: every 32-byte value fits, left-padded. */
	private static final int ENCODED_LENGTH = 43;

	/** The part of a key shown in lists: the prefix and 8 characters. */
	private static final int SHOWN = PREFIX.length() + 8;

	private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

	private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final ApiKeyRepository keys;

	private final UserRepository users;

	private final JdbcAggregateTemplate jdbc;

	private final Clock clock;

	ApiKeys(ApiKeyRepository keys, UserRepository users, JdbcAggregateTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.users = users;
		this.clock = clock;
	}

	/** Whether a bearer credential is meant as an API key (and not as a login token). */
	public static boolean looksLikeKey(String credential) {
		return credential.startsWith(PREFIX);
	}

	/** The key's owner when the key is known and not expired; empty otherwise. */
	public Optional<AuthenticatedUser> authenticate(String key) {
		if (key.length() != PREFIX.length() + ENCODED_LENGTH) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		return this.keys.findByKeyHash(VerificationTokens.hash(key))
			.filter(found -> !found.expiredAt(now))
			.flatMap(found -> {
				if (found.lastUsedAt() == null || found.lastUsedAt().isBefore(now.minus(TOUCH_INTERVAL))) {
					this.keys.touch(found.id(), now, now.minus(TOUCH_INTERVAL));
				}
				return this.users.findById(found.userId())
					.map(owner -> new AuthenticatedUser(owner.id(), owner.username(),
							AuthenticatedUser.Credential.API_KEY));
			});
	}

	/** A new key for the user; the returned key is the only time it exists in clear. */
	Created create(UUID userId, String name, Instant expiresAt) {
		Instant now = this.clock.instant();
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			throw Problems.badRequest("invalid-expiry", "Invalid expiry", "'expiresAt' must lie in the future.");
		}
		if (this.keys.countByUserId(userId) >= MAX_PER_ACCOUNT) {
			throw Problems.problem(HttpStatus.CONFLICT, "too-many-keys", "Too many API keys",
					"An account may have " + MAX_PER_ACCOUNT + " API keys. Revoke one first (DELETE /api/keys/{id}).");
		}
		String key = newKey();
		ApiKey stored = new ApiKey(UUID.randomUUID(), userId, name.strip(), key.substring(0, SHOWN),
				VerificationTokens.hash(key), now, null, expiresAt);
		return new Created(this.jdbc.insert(stored), key);
	}

	List<ApiKey> list(UUID userId) {
		return this.keys.findByUserId(userId);
	}

	/** False when the user has no key with that id. */
	boolean revoke(UUID userId, UUID keyId) {
		return this.keys.deleteByIdAndUserId(keyId, userId);
	}

	/** Every key of the account, for its deletion. */
	public int revokeAll(UUID userId) {
		return this.keys.deleteByUserId(userId);
	}

	static String newKey() {
		byte[] bytes = new byte[RANDOM_BYTES];
		RANDOM.nextBytes(bytes);
		BigInteger value = new BigInteger(1, bytes);
		BigInteger base = BigInteger.valueOf(BASE62.length());
		char[] digits = new char[ENCODED_LENGTH];
		for (int i = ENCODED_LENGTH - 1; i >= 0; i--) {
			BigInteger[] division = value.divideAndRemainder(base);
			digits[i] = BASE62.charAt(division[1].intValue());
			value = division[0];
		}
		return PREFIX + new String(digits);
	}

	record Created(ApiKey key, String secret) {
	}

}
