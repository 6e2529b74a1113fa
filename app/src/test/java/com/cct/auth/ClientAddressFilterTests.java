package com.cct.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ClientAddressFilterTests {

	private final ClientAddressFilter filter = new ClientAddressFilter(new TrustedProxies(List.of("127.0.0.0/8")));

	@Test
	void theRestOfTheChainSeesTheClientBehindATrustedProxy() throws Exception {
		assertThat(remoteAddrSeenBehind("127.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
	}

	@Test
	void aForgedHeaderFromAnUntrustedPeerChangesNothing() throws Exception {
		assertThat(remoteAddrSeenBehind("198.51.100.1", "203.0.113.7")).isEqualTo("198.51.100.1");
	}

	@Test
	void withoutTheHeaderThePeerIsTheClient() throws Exception {
		assertThat(remoteAddrSeenBehind("127.0.0.1", null)).isEqualTo("127.0.0.1");
	}

	private String remoteAddrSeenBehind(String peer, String forwardedFor) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/auth/login");
		request.setRemoteAddr(peer);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		return chain.getRequest().getRemoteAddr();
	}

}
