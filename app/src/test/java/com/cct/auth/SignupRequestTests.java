package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

class SignupRequestTests {

	private static final ValidatorFactory factory = Validation.buildDefaultValidatorFactory();

	private static final Validator validator = factory.getValidator();

	private static final String GOOD = "tr0ub4dor&3";

	@AfterAll
	static void close() {
		factory.close();
	}

	@Test
	void aSoundRequestPasses() {
		assertThat(violations(new SignupRequest("alice_b.c-d", "alice@example.org", GOOD, GOOD))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "al ice", "alice!", "ålice", "al/ice", "<script>" })
	void aUserNameWithOtherCharactersIsRefused(String username) {
		assertThat(violations(new SignupRequest(username, "alice@example.org", GOOD, GOOD)))
			.containsEntry("username", "may contain letters, digits, '_', '.' and '-' only");
	}

	@Test
	void aUserNameIsThreeToFiftyCharacters() {
		assertThat(violations(new SignupRequest("al", "a@example.org", GOOD, GOOD))).containsKey("username");
		assertThat(violations(new SignupRequest("a".repeat(51), "a@example.org", GOOD, GOOD))).containsKey("username");
		assertThat(violations(new SignupRequest("a".repeat(50), "a@example.org", GOOD, GOOD))).isEmpty();
	}

	@Test
	void anEmailMustLookLikeOne() {
		assertThat(violations(new SignupRequest("alice", "not-an-email", GOOD, GOOD))).containsKey("email");
		assertThat(violations(new SignupRequest("alice", " ", GOOD, GOOD))).containsKey("email");
	}

	@Test
	void aPasswordShorterThanEightCharactersIsRefused() {
		assertThat(violations(new SignupRequest("alice", "alice@example.org", "x7#kQ2m", "x7#kQ2m")))
			.containsEntry("password1", "must be at least 8 characters");
	}

	@Test
	void passwordsThatDifferAreRefused() {
		assertThat(violations(new SignupRequest("alice", "alice@example.org", GOOD, GOOD + "!")))
			.containsEntry("passwordsMatch", "passwords differ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "password", "Password1", "QWERTY123", "12345678", "passw0rd" })
	void aCommonPasswordIsTooWeakWhateverItsCase(String password) {
		assertThat(violations(new SignupRequest("alice", "alice@example.org", password, password)))
			.containsEntry("passwordStrongEnough", "password is too weak: avoid common passwords and your user name");
	}

	@Test
	void aPasswordContainingTheUserNameIsTooWeak() {
		assertThat(violations(new SignupRequest("Alice", "alice@example.org", "my-ALICE-42", "my-ALICE-42")))
			.containsKey("passwordStrongEnough");
	}

	@Test
	void aPasswordOfFewerThanFourDistinctCharactersIsTooWeak() {
		assertThat(violations(new SignupRequest("alice", "alice@example.org", "abcabcabc", "abcabcabc")))
			.containsKey("passwordStrongEnough");
		assertThat(violations(new SignupRequest("alice", "alice@example.org", "abcdabcd", "abcdabcd"))).isEmpty();
	}

	@Test
	void aPasswordOverSeventyTwoBytesIsRefusedRatherThanCut() {
		String seventyTwo = "é".repeat(30) + "abcdefghijkl";
		String seventyFour = "é".repeat(31) + "abcdefghijkl";

		assertThat(violations(new SignupRequest("alice", "alice@example.org", seventyTwo, seventyTwo))).isEmpty();
		assertThat(violations(new SignupRequest("alice", "alice@example.org", seventyFour, seventyFour)))
			.containsEntry("passwordWithinBcryptLimit", "password is too long (72 bytes at most)");
	}

	@Test
	void missingFieldsAreReportedAsMissingAndNothingElse() {
		Map<String, String> found = violations(new SignupRequest(null, null, null, null));

		assertThat(found).containsOnlyKeys("username", "email", "password1", "password2");
	}

	private static Map<String, String> violations(SignupRequest request) {
		Set<ConstraintViolation<SignupRequest>> violations = validator.validate(request);
		return violations.stream()
			.collect(Collectors.toMap(v -> v.getPropertyPath().toString(), ConstraintViolation::getMessage,
					(a, b) -> a + "; " + b));
	}

}
