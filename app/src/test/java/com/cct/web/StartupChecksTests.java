package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;


@ExtendWith(OutputCaptureExtension.class)
class StartupChecksTests {

	private static final String STRONG = "a-strong-password";

	@Test
	void outsideTheLocalProfileAShortDashboardPasswordStopsTheStartNamingTheVariable() {
		assertThatThrownBy(() -> checks("prod", "elevenchars").afterPropertiesSet())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("CCT_DASHBOARD_PASSWORD")
			.hasMessageContaining("12");
	}

	@Test
	void outsideTheLocalProfileAMissingDashboardPasswordStopsTheStart() {
		assertThatThrownBy(() -> checks("prod", null).afterPropertiesSet())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("CCT_DASHBOARD_PASSWORD");
	}

	@Test
	void twelveCharactersAreEnoughOutsideTheLocalProfile() {
		assertThatNoException().isThrownBy(() -> checks("prod", "twelve-chars").afterPropertiesSet());
	}

	@Test
	void theLocalProfileOnlyWarnsOfAWeakPassword(CapturedOutput output) {
		assertThatNoException().isThrownBy(() -> checks("local", "admin").afterPropertiesSet());

		assertThat(output).contains("CCT_DASHBOARD_PASSWORD");
	}

	@Test
	void aStrongPasswordIsNotWarnedAbout(CapturedOutput output) {
		checks("local", STRONG).afterPropertiesSet();

		assertThat(output).doesNotContain("CCT_DASHBOARD_PASSWORD");
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev-only-dashboard", "local-admin", "dev-only-something-long-enough",
			"<openssl rand -hex 12>", "please-change-me-now" })
	void outsideTheLocalProfileADashboardPasswordFromAShippedFileStopsTheStart(String published) {
		assertThatThrownBy(() -> checks("prod", published).afterPropertiesSet())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("CCT_DASHBOARD_PASSWORD")
			.hasMessageContaining("sample value");
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev-only-jwt-secret-change-me-0123456789abcdef",
			"<64 random hex chars: openssl rand -hex 32>" })
	void outsideTheLocalProfileAJwtSecretFromAShippedFileStopsTheStart(String published) {
		MockEnvironment environment = profile("prod");
		environment.setProperty("cct.jwt.secret", published);

		assertThatThrownBy(() -> new StartupChecks(environment, dashboard(STRONG))
			.afterPropertiesSet()).isInstanceOf(IllegalStateException.class).hasMessageContaining("CCT_JWT_SECRET");
	}

	@Test
	void theLocalProfileAcceptsTheShippedValues() {
		MockEnvironment environment = profile("local");
		environment.setProperty("cct.jwt.secret", "dev-only-jwt-secret-change-me-0123456789abcdef");

		assertThatNoException().isThrownBy(() -> new StartupChecks(environment, dashboard("local-admin"))
			.afterPropertiesSet());
	}

	@Test
	void everyDevOnlyValueInTheComposeFileIsKnown() throws java.io.IOException {
		java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("\\$\\{CCT_[A-Z_]+:-([^}]+)}")
			.matcher(java.nio.file.Files.readString(Path.of("../compose.yaml")));
		while (defaults.find()) {
			if (defaults.group(1).contains("dev-only")) {
				assertThat(StartupChecks.isPublished(defaults.group(1))).as(defaults.group(1)).isTrue();
			}
		}
		assertThat(StartupChecks.isPublished("local-admin")).isTrue();
		assertThat(StartupChecks.isPublished("9f2c1e7a4b6d8e0f1a3c5e7b9d1f3a5c")).isFalse();
	}

	private StartupChecks checks(String profile, String password) {
		return new StartupChecks(profile(profile), dashboard(password));
	}

	private static MockEnvironment profile(String name) {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles(name);
		return environment;
	}

	private static JobRunrProperties dashboard(String password) {
		JobRunrProperties properties = new JobRunrProperties();
		properties.getDashboard().setPassword(password);
		return properties;
	}

}
