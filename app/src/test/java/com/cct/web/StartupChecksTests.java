package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import com.cct.storage.FileStorage;
import com.cct.storage.StorageSettings;

@ExtendWith(OutputCaptureExtension.class)
class StartupChecksTests {

	private static final String STRONG = "a-strong-password";

	@TempDir
	Path folder;

	private final MultipartProperties multipart = new MultipartProperties();

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

	@Test
	void createsTheStorageRootAndTheUploadSpoolFolder() {
		Path root = this.folder.resolve("data/nested");
		Path spool = this.folder.resolve("data/.incoming");
		this.multipart.setLocation(spool.toString());

		new StartupChecks(profile("prod"), new FileStorage(new StorageSettings(root)), dashboard(STRONG),
				this.multipart)
			.afterPropertiesSet();

		assertThat(root).isDirectory();
		assertThat(spool).isDirectory();
	}

	@Test
	void withoutASpoolLocationOnlyTheStorageRootIsCreated() {
		Path root = this.folder.resolve("root");

		new StartupChecks(profile("prod"), new FileStorage(new StorageSettings(root)), dashboard(STRONG),
				this.multipart)
			.afterPropertiesSet();

		assertThat(root).isDirectory();
		assertThat(this.folder.toFile().list()).containsExactly("root");
	}

	private StartupChecks checks(String profile, String password) {
		return new StartupChecks(profile(profile), new FileStorage(new StorageSettings(this.folder.resolve("data"))),
				dashboard(password), this.multipart);
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
