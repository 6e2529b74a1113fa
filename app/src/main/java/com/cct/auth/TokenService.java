package com.cct.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;

/**
 * Issues and verifies the API's bearer tokens: HS256 only (the verifier rejects any other
 * algorithm, {@code none} included), issuer and expiry required.
 */
@Component
class TokenService {

	private static final Logger log = LoggerFactory.getLogger(TokenService.class);

	static final String ISSUER = "cloud-conversion-tool";

	static final int MIN_SECRET_BYTES = 32;

	/** The claim naming the account's token version at issue time. */
	static final String VERSION = "ver";

	private final Algorithm algorithm;

	private final JWTVerifier verifier;

	private final Duration ttl;

	private final Clock clock;

	private static final int VERIFIED_CACHE_SIZE = 10_000;

	private final Map<String, Verified> verified = new ConcurrentHashMap<>();

	TokenService(JwtSettings settings, Environment environment, Clock clock) {
		this.clock = clock;
		this.algorithm = Algorithm.HMAC256(secret(settings.secret(), environment));
		// expiry is judged by the same clock that issues tokens
		this.verifier = ((JWTVerifier.BaseVerification) JWT.require(this.algorithm)
			.withIssuer(ISSUER)
			.withClaimPresence("exp")
			.withClaimPresence("sub")).build(clock);
		this.ttl = settings.ttl();
	}

	IssuedToken issue(UUID userId, String username) {
		return issue(userId, username, 0);
	}

	/** {@code version} is the account's token version now: a later password change refuses the token. */
	IssuedToken issue(UUID userId, String username, int version) {
		Instant now = this.clock.instant();
		String token = JWT.create()
			.withIssuer(ISSUER)
			.withSubject(userId.toString())
			.withClaim("username", username)
			.withClaim(VERSION, version)
			.withIssuedAt(now)
			.withExpiresAt(now.plus(this.ttl))
			.sign(this.algorithm);
		return new IssuedToken(token, this.ttl.toSeconds());
	}

	/** The token's user when its signature, issuer and expiry check out (its version is not judged here). */
	Optional<AuthenticatedUser> verify(String token) {
		return verified(token).map(Verified::user);
	}

	/**
	 * The token's user and the token version it was issued under; tokens from before versions existed
	 * count as version 0, the version every account started with.
	 */
	Optional<Verified> verified(String token) {
		Verified known = this.verified.get(token);
		if (known != null) {
			if (this.clock.instant().isBefore(known.expiresAt())) {
				return Optional.of(known);
			}
			this.verified.remove(token);
		}
		try {
			DecodedJWT jwt = this.verifier.verify(token);
			AuthenticatedUser user = new AuthenticatedUser(UUID.fromString(jwt.getSubject()),
					jwt.getClaim("username").asString());
			Integer version = jwt.getClaim(VERSION).asInt();
			Verified entry = new Verified(user, version == null ? 0 : version, jwt.getExpiresAtAsInstant());
			remember(token, entry);
			return Optional.of(entry);
		}
		catch (JWTVerificationException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A token's signature is a pure function of its bytes: once it checked out it stays good until the
	 * token expires, so repeat requests (status polling) skip the HMAC and JSON parsing. Bounded. The
	 * version is judged on every request against the account ({@link BearerAuthentication}).
	 */
	private void remember(String token, Verified entry) {
		if (this.verified.size() >= VERIFIED_CACHE_SIZE) {
			this.verified.clear();
		}
		this.verified.put(token, entry);
	}

	record Verified(AuthenticatedUser user, int version, Instant expiresAt) {
	}

	/**
	 * Outside the local profile a missing or short secret stops the start, naming the variable to
	 * set; locally a random per-process secret keeps a newcomer going (tokens end with the process).
	 */
	static byte[] secret(String configured, Environment environment) {
		byte[] bytes = configured == null ? new byte[0] : configured.getBytes(StandardCharsets.UTF_8);
		if (bytes.length >= MIN_SECRET_BYTES) {
			return bytes;
		}
		if (!environment.acceptsProfiles(Profiles.of("local"))) {
			throw new IllegalStateException("CCT_JWT_SECRET must be set to at least " + MIN_SECRET_BYTES
					+ " bytes (e.g. `openssl rand -base64 48`) outside the local profile");
		}
		log.warn("CCT_JWT_SECRET is unset or shorter than {} bytes: using a random secret for this process "
				+ "(local profile only)", MIN_SECRET_BYTES);
		byte[] random = new byte[48];
		new SecureRandom().nextBytes(random);
		Arrays.fill(bytes, (byte) 0);
		return random;
	}

	record IssuedToken(String token, long expiresIn) {
	}

}
