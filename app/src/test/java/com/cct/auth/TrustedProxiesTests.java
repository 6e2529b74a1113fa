package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TrustedProxiesTests {

	private final TrustedProxies compose = new TrustedProxies(
			List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"));

	@Nested
	class FromATrustedPeer {

		@Test
		void theClientIsWhatTheProxyAppended() {
			assertThat(compose.clientAddress("172.18.0.5", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
		}

		@Test
		void whatAClientWroteLeftOfItsOwnAddressIsNeverReached() {
			// the client sent "X-Forwarded-For: 10.0.0.1, 198.51.100.1"; nginx appended the peer it saw
			assertThat(compose.clientAddress("172.18.0.5", List.of("10.0.0.1, 198.51.100.1, 203.0.113.7")))
				.isEqualTo("203.0.113.7");
		}

		@Test
		void walksThroughEveryTrustedHopAndEveryHeader() {
			TrustedProxies gcp = new TrustedProxies(List.of("172.16.0.0/12", "130.211.0.0/22", "35.191.0.0/16",
					"34.120.0.9/32"));
			assertThat(gcp.clientAddress("172.18.0.5", List.of("203.0.113.7, 34.120.0.9", "35.191.4.2")))
				.isEqualTo("203.0.113.7");
		}

		@Test
		void whenEveryHopIsTrustedTheFirstIsTheClient() {
			assertThat(compose.clientAddress("127.0.0.1", List.of("10.1.2.3, 192.168.1.1"))).isEqualTo("10.1.2.3");
		}

		@Test
		void garbageStopsTheWalkAtTheLastHopThatVouchedForIt() {
			assertThat(compose.clientAddress("127.0.0.1", List.of("203.0.113.7, not-an-address, 10.0.0.2")))
				.isEqualTo("10.0.0.2");
			assertThat(compose.clientAddress("127.0.0.1", List.of("unknown"))).isEqualTo("127.0.0.1");
			assertThat(compose.clientAddress("127.0.0.1", List.of("999.1.1.1"))).isEqualTo("127.0.0.1");
		}

		@Test
		void readsIpv6InAnySpellingAndGivesOneSpellingBack() {
			assertThat(compose.clientAddress("0:0:0:0:0:0:0:1", List.of("[2001:db8::7]"))).isEqualTo("2001:db8:0:0:0:0:0:7");
			assertThat(compose.clientAddress("::1", List.of("2001:DB8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
			assertThat(compose.clientAddress("fd00::2", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
		}

	}

	@Test
	void aPeerThatIsNotTrustedIsTheClientWhateverItsHeaderSays() {
		assertThat(compose.clientAddress("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
		assertThat(new TrustedProxies(List.of()).clientAddress("127.0.0.1", List.of("198.51.100.1")))
			.isEqualTo("127.0.0.1");
	}

	@Test
	void rangesMatchByTheirPrefixOnly() {
		TrustedProxies ranges = new TrustedProxies(List.of("172.16.0.0/12", "130.211.0.0/22", "2001:db8:1::/48", "198.51.100.9"));
		assertThat(ranges.trusted(TrustedProxies.literal("172.31.255.255").orElseThrow())).isTrue();
		assertThat(ranges.trusted(TrustedProxies.literal("172.32.0.0").orElseThrow())).isFalse();
		assertThat(ranges.trusted(TrustedProxies.literal("130.211.3.200").orElseThrow())).isTrue();
		assertThat(ranges.trusted(TrustedProxies.literal("130.211.4.0").orElseThrow())).isFalse();
		assertThat(ranges.trusted(TrustedProxies.literal("2001:db8:1:ffff::1").orElseThrow())).isTrue();
		assertThat(ranges.trusted(TrustedProxies.literal("2001:db8:2::1").orElseThrow())).isFalse();
		assertThat(ranges.trusted(TrustedProxies.literal("198.51.100.9").orElseThrow())).isTrue();
		assertThat(ranges.trusted(TrustedProxies.literal("198.51.100.10").orElseThrow())).isFalse();
	}

	@Test
	void hostNamesAreNeverLookedUp() {
		assertThat(TrustedProxies.literal("localhost")).isEmpty();
		assertThat(TrustedProxies.literal("example.com")).isEmpty();
		assertThat(TrustedProxies.literal("1:2")).isEmpty();
	}

	@Test
	void aBadRangeStopsTheStartNamingTheVariable() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")))
			.withMessageContaining("CCT_TRUSTED_PROXIES");
		assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("proxy.internal")))
			.withMessageContaining("CCT_TRUSTED_PROXIES");
	}

}
