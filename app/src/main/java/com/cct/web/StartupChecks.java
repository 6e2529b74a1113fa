package com.cct.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Refuses to start outside the local profile with a weak dashboard password (the JWT secret's length
 * is checked where it is used) or with a JWT secret or dashboard password copied from a file this
 * project ships (compose.yaml's old defaults, the local profile's password, the README's
 * placeholders): anyone who reads the repository knows those. (The storage is checked where it is
 * built, in app-core's StorageConfiguration.)
 */
@Component
class StartupChecks implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

	static final int MIN_DASHBOARD_PASSWORD = 12;

	/** Values that appeared in shipped files; never a secret, whatever their length. */
	static final Set<String> PUBLISHED_VALUES = Set.of("dev-only-jwt-secret-change-me-0123456789abcdef",
			"dev-only-dashboard", "local-admin");

	/** Fragments of sample and placeholder values (compose defaults, README and .env examples). */
	private static final List<String> SAMPLE_FRAGMENTS = List.of("dev-only", "change-me", "changeme", "openssl rand",
			"random hex");

	private final Environment environment;

	private final JobRunrProperties jobRunr;

	StartupChecks(Environment environment, JobRunrProperties jobRunr) {
		this.environment = environment;
		this.jobRunr = jobRunr;
	}

	@Override
	public void afterPropertiesSet() {
		boolean local = this.environment.acceptsProfiles(Profiles.of("local"));
		String password = this.jobRunr.getDashboard().getPassword();
		if (!local) {
			refusePublished("CCT_JWT_SECRET", this.environment.getProperty("cct.jwt.secret"));
			refusePublished("CCT_DASHBOARD_PASSWORD", password);
		}
		if (password == null || password.length() < MIN_DASHBOARD_PASSWORD) {
			if (!local) {
				throw new IllegalStateException("CCT_DASHBOARD_PASSWORD must be set to at least "
						+ MIN_DASHBOARD_PASSWORD + " characters outside the local profile");
			}
			log.warn("The JobRunr dashboard password is weak; set CCT_DASHBOARD_PASSWORD (local profile only)");
		}
	}

	private static void refusePublished(String variable, String value) {
		if (value != null && isPublished(value)) {
			throw new IllegalStateException(variable + " is a sample value published with this project; set a "
					+ "secret of your own (e.g. `openssl rand -hex 32`) outside the local profile");
		}
	}

	static boolean isPublished(String value) {
		String lower = value.strip().toLowerCase(Locale.ROOT);
		return PUBLISHED_VALUES.contains(value.strip()) || SAMPLE_FRAGMENTS.stream().anyMatch(lower::contains);
	}

}
