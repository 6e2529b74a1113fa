package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;

class TokenServiceTests {

	private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

	private static final Duration HOUR = Duration.ofHours(1);

	private final AuthenticatedUser alice = new AuthenticatedUser(UUID.randomUUID(), "alice");

	@Nested
	class IssueAndVerify {

		private final TokenService tokens = service(SECRET, HOUR, Clock.systemUTC(), profile("prod"));

		@Test
		void anIssuedTokenVerifiesAsItsUser() {
			TokenService.IssuedToken issued = tokens.issue(alice.id(), alice.username());

			assertThat(issued.expiresIn()).isEqualTo(3600);
			assertThat(tokens.verify(issued.token())).contains(alice);
			assertThat(tokens.verify(issued.token())).as("verified again from memory").contains(alice);
		}

		@Test
		void aTokenCarriesIssuerSubjectAndAnExpiryOneTtlAfterIssue() {
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			TokenService fixed = service(SECRET, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC),
					profile("prod"));

			DecodedJWT jwt = JWT.decode(fixed.issue(alice.id(), "alice").token());

			assertThat(jwt.getIssuer()).isEqualTo(TokenService.ISSUER);
			assertThat(jwt.getSubject()).isEqualTo(alice.id().toString());
			assertThat(jwt.getClaim("username").asString()).isEqualTo("alice");
			assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
			assertThat(jwt.getIssuedAtAsInstant()).isEqualTo(now);
			assertThat(jwt.getExpiresAtAsInstant()).isEqualTo(now.plus(Duration.ofMinutes(5)));
		}

		@Test
		void anExpiredTokenIsRefused() {
			TokenService past = service(SECRET, HOUR, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)),
					profile("prod"));
			String expired = past.issue(alice.id(), "alice").token();

			assertThat(tokens.verify(expired)).isEmpty();
			// expiry is judged by the service's own clock, for which the token is still fresh
			assertThat(past.verify(expired)).isPresent();
		}

		@Test
		void aTokenSignedWithAnotherSecretIsRefused() {
			TokenService other = service("another-secret-that-is-also-32-bytes-long", HOUR, Clock.systemUTC(),
					profile("prod"));

			assertThat(tokens.verify(other.issue(alice.id(), "alice").token())).isEmpty();
		}

		@Test
		void anUnsignedTokenIsRefused() {
			String none = JWT.create()
				.withIssuer(TokenService.ISSUER)
				.withSubject(alice.id().toString())
				.withExpiresAt(Instant.now().plus(HOUR))
				.sign(Algorithm.none());

			assertThat(tokens.verify(none)).isEmpty();
		}

		@Test
		void aTokenThatClaimsNoneButKeepsTheSignatureIsRefused() {
			String[] parts = tokens.issue(alice.id(), "alice").token().split("\\.");
			String header = Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

			assertThat(tokens.verify(header + "." + parts[1] + "." + parts[2])).isEmpty();
			assertThat(tokens.verify(header + "." + parts[1] + ".")).isEmpty();
		}

		@Test
		void aTokenWithoutSubjectIsRefused() {
			assertThat(tokens.verify(signed(b -> b))).isEmpty();
		}

		@Test
		void aTokenWhoseSubjectIsNoUuidIsRefused() {
			assertThat(tokens.verify(signed(b -> b.withSubject("alice")))).isEmpty();
		}

		@Test
		void aTokenWithoutExpiryIsRefused() {
			String forever = JWT.create()
				.withIssuer(TokenService.ISSUER)
				.withSubject(alice.id().toString())
				.sign(Algorithm.HMAC256(SECRET));

			assertThat(tokens.verify(forever)).isEmpty();
		}

		@Test
		void aTokenOfAnotherIssuerIsRefused() {
			String foreign = JWT.create()
				.withIssuer("someone-else")
				.withSubject(alice.id().toString())
				.withExpiresAt(Instant.now().plus(HOUR))
				.sign(Algorithm.HMAC256(SECRET));

			assertThat(tokens.verify(foreign)).isEmpty();
		}

		@Test
		void aTamperedPayloadIsRefused() {
			String[] parts = tokens.issue(alice.id(), "alice").token().split("\\.");
			String payload = Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(("{\"iss\":\"cloud-conversion-tool\",\"sub\":\"" + UUID.randomUUID()
						+ "\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}")
					.getBytes(StandardCharsets.UTF_8));

			assertThat(tokens.verify(parts[0] + "." + payload + "." + parts[2])).isEmpty();
		}

		@Test
		void garbageIsRefused() {
			assertThat(tokens.verify("")).isEmpty();
			assertThat(tokens.verify("not-a-token")).isEmpty();
			assertThat(tokens.verify("a.b.c")).isEmpty();
		}

		private String signed(UnaryOperator<JWTCreator.Builder> claims) {
			return claims.apply(JWT.create()
				.withIssuer(TokenService.ISSUER)
				.withExpiresAt(Date.from(Instant.now().plus(HOUR))))
				.sign(Algorithm.HMAC256(SECRET));
		}

	}

	@Nested
	class Secret {

		@Test
		void outsideTheLocalProfileAMissingSecretStopsTheStartNamingTheVariable() {
			assertThatThrownBy(() -> service(null, HOUR, Clock.systemUTC(), profile("prod")))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("CCT_JWT_SECRET")
				.hasMessageContaining("32");
		}

		@Test
		void outsideTheLocalProfileASecretOf31BytesIsTooShort() {
			assertThatThrownBy(() -> service("x".repeat(31), HOUR, Clock.systemUTC(), profile("prod")))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("CCT_JWT_SECRET");
		}

		@Test
		void theLengthIsCountedInBytes() {
			assertThatNoException().isThrownBy(() -> service("é".repeat(16), HOUR, Clock.systemUTC(), profile("prod")));
		}

		@Test
		void withoutAnyProfileTheSecretIsRequiredToo() {
			assertThatThrownBy(() -> service("", HOUR, Clock.systemUTC(), new MockEnvironment()))
				.isInstanceOf(IllegalStateException.class);
		}

		@Test
		void theLocalProfileWithoutASecretWorksWithARandomOneOfItsOwn() {
			TokenService one = service(null, HOUR, Clock.systemUTC(), profile("local"));
			TokenService two = service(null, HOUR, Clock.systemUTC(), profile("local"));
			String token = one.issue(alice.id(), "alice").token();

			assertThat(one.verify(token)).contains(alice);
			assertThat(two.verify(token)).isEmpty();
		}

		@Test
		void theLocalProfileDoesNotSignWithAShortSecret() {
			TokenService local = service("short", HOUR, Clock.systemUTC(), profile("local"));
			String withShortSecret = JWT.create()
				.withIssuer(TokenService.ISSUER)
				.withSubject(alice.id().toString())
				.withExpiresAt(Instant.now().plus(HOUR))
				.sign(Algorithm.HMAC256("short"));

			assertThat(local.verify(withShortSecret)).isEmpty();
		}

	}

	private static TokenService service(String secret, Duration ttl, Clock clock, MockEnvironment environment) {
		return new TokenService(new JwtSettings(secret, ttl), environment, clock);
	}

	private static MockEnvironment profile(String name) {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles(name);
		return environment;
	}

}
