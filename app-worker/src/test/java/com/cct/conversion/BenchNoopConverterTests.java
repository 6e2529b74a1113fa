package com.cct.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The bench's no-op converter must never switch on by accident outside the bench profile. */
class BenchNoopConverterTests {

	@Test
	void offWhenUnset() {
		assertThat(new BenchNoopConverter("", new MockEnvironment()).handles(null)).isFalse();
	}

	@Test
	void refusedWithoutTheBenchProfile() {
		assertThatIllegalStateException().isThrownBy(() -> new BenchNoopConverter("noop", new MockEnvironment()))
			.withMessageContaining("refused outside the 'bench' Spring profile");
		MockEnvironment production = new MockEnvironment();
		production.setActiveProfiles("prod");
		assertThatIllegalStateException().isThrownBy(() -> new BenchNoopConverter("sleep:50ms", production));
	}

	@Test
	void takesEveryTaskInTheBenchProfile() {
		assertThat(new BenchNoopConverter("noop", bench()).handles(null)).isTrue();
		assertThat(new BenchNoopConverter("sleep:50ms", bench()).handles(null)).isTrue();
	}

	@Test
	void rejectsAnUnknownSetting() {
		assertThatIllegalStateException().isThrownBy(() -> new BenchNoopConverter("fast", bench()))
			.withMessageContaining("'noop' or 'sleep:<duration>'");
	}

	private static MockEnvironment bench() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles(BenchNoopConverter.PROFILE);
		return environment;
	}

}
