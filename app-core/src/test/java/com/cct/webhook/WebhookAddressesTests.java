package com.cct.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookAddressesTests {

	@Nested
	class Addresses {

		@ParameterizedTest
		@ValueSource(strings = { "127.0.0.1", "127.255.1.2", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
				"169.254.169.254", "169.254.0.1", "100.64.0.1", "100.100.100.200", "100.127.255.255", "0.0.0.0",
				"0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
				"::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "fec0::1", "::ffff:127.0.0.1",
				"::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
				"2002:a00:1::", "2001:db8::1", "2001::1" })
		void refusesWhatIsNotPublic(String literal) throws Exception {
			assertThat(WebhookAddresses.isPublic(InetAddress.getByName(literal))).isFalse();
		}

		@ParameterizedTest
		@ValueSource(strings = { "93.184.215.14", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255",
				"172.32.0.1", "169.253.255.255", "192.169.0.1", "223.255.255.255", "2606:4700:4700::1111",
				"2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1" })
		void allowsPublicAddresses(String literal) throws Exception {
			assertThat(WebhookAddresses.isPublic(InetAddress.getByName(literal))).isTrue();
		}

	}

	@Nested
	class Resolving {

		@Test
		void aHostNameResolvingToLoopbackIsRefusedAtDeliveryTime() {
			// what the worker does before each attempt: localhost resolves, and only to loopback
			assertThatThrownBy(() -> WebhookAddresses.resolve("localhost", false))
				.isInstanceOf(RefusedAddressException.class)
				.hasMessageContaining("localhost resolves to")
				.hasMessageContaining("non-public");
		}

		@Test
		void privateAddressesPassWhenAllowed() throws Exception {
			assertThat(WebhookAddresses.resolve("localhost", true)).isNotEmpty()
				.allMatch(InetAddress::isLoopbackAddress);
			assertThat(WebhookAddresses.resolve("[::1]", true)).containsExactly(InetAddress.getByName("::1"));
		}

		@Test
		void literalsAreJudgedWithoutDns() throws Exception {
			assertThat(WebhookAddresses.resolve("93.184.215.14", false)).containsExactly(InetAddress.getByName("93.184.215.14"));
			assertThatThrownBy(() -> WebhookAddresses.resolve("2130706433", false)).as("127.0.0.1 as one number")
				.isInstanceOf(RefusedAddressException.class);
			assertThatThrownBy(() -> WebhookAddresses.resolve("[::ffff:127.0.0.1]", false))
				.isInstanceOf(RefusedAddressException.class);
		}

		@Test
		void aNameThatDoesNotResolveIsRefused() {
			assertThatThrownBy(() -> WebhookAddresses.resolve("no-such-host.invalid", false))
				.isInstanceOf(RefusedAddressException.class)
				.hasMessageContaining("does not resolve");
		}

	}

	@Nested
	class Urls {

		@ParameterizedTest
		@ValueSource(strings = { "ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/", "example.com/hook",
				"http:///nohost", "https://user:pw@example.com/", "http://exa mple.com/", "", "  ", "javascript:alert(1)" })
		void refusesWhatIsNotAPlainHttpUrl(String url) {
			assertThatThrownBy(() -> WebhookAddresses.parse(url)).isInstanceOf(RefusedAddressException.class);
		}

		@Test
		void refusesTooLongUrls() {
			assertThatThrownBy(() -> WebhookAddresses.parse("https://example.com/" + "a".repeat(2000)))
				.isInstanceOf(RefusedAddressException.class);
		}

		@Test
		void takesHttpAndHttps() throws Exception {
			assertThat(WebhookAddresses.parse("https://example.com/hooks/cct?x=1").getHost()).isEqualTo("example.com");
			assertThat(WebhookAddresses.parse("HTTP://example.com:8080/").getPort()).isEqualTo(8080);
		}

	}

}
