package com.cct.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeysTests {

	@Test
	void aKeyIsTheMarkerAnd43Base62Characters() {
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < 2000; i++) {
			String key = ApiKeys.newKey();
			assertThat(key).matches("cct_[0-9A-Za-z]{43}");
			keys.add(key);
		}
		assertThat(keys).as("no repeats").hasSize(2000);
	}

	@Test
	void keysAreToldApartFromLoginTokensByTheirMarker() {
		assertThat(ApiKeys.looksLikeKey(ApiKeys.newKey())).isTrue();
		assertThat(ApiKeys.looksLikeKey("eyJhbGciOiJIUzI1NiJ9.e30.x")).isFalse();
	}

}
