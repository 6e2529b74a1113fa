package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import jakarta.servlet.ServletException;

class SecurityHeadersFilterTests {

	private final SecurityHeadersFilter filter = new SecurityHeadersFilter();

	@Test
	void thePageMayLoadOnlyItsOwnScriptAndStylesheet() throws Exception {
		MockHttpServletResponse response = serve(new MockHttpServletRequest("GET", "/"));

		String policy = response.getHeader("Content-Security-Policy");
		assertThat(policy).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
				"frame-ancestors 'none'", "object-src 'none'", "img-src 'self' data:");
		assertThat(policy).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("*");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
		assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
	}

	@Test
	void apiAnswersAreNeverRenderedAsDocuments() throws Exception {
		for (String path : new String[] { "/api/tasks", "/api/files/x.mp4", "/v3/api-docs" }) {
			MockHttpServletResponse response = serve(new MockHttpServletRequest("GET", path));

			assertThat(response.getHeader("Content-Security-Policy")).startsWith("default-src 'none'")
				.contains("frame-ancestors 'none'");
			assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		}
	}

	@Test
	void swaggerUiKeepsItsInlineStylesButNoForeignScripts() throws Exception {
		String policy = serve(new MockHttpServletRequest("GET", "/swagger-ui/index.html"))
			.getHeader("Content-Security-Policy");

		assertThat(policy).contains("script-src 'self'", "style-src 'self' 'unsafe-inline'");
	}

	@Test
	void hstsOnlyOverTls() throws Exception {
		MockHttpServletRequest plain = new MockHttpServletRequest("GET", "/");
		MockHttpServletRequest tls = new MockHttpServletRequest("GET", "/");
		tls.setSecure(true);

		assertThat(serve(plain).getHeader("Strict-Transport-Security")).isNull();
		assertThat(serve(tls).getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
	}

	@Test
	void theHeadersAreSetBeforeTheRestOfTheChainAnswers() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
			@Override
			protected void service(jakarta.servlet.http.HttpServletRequest req,
					jakarta.servlet.http.HttpServletResponse res) throws IOException {
				res.sendError(401);
			}
		});

		this.filter.doFilter(new MockHttpServletRequest("POST", "/api/tasks"), response, chain);

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	private MockHttpServletResponse serve(MockHttpServletRequest request) throws ServletException, IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		return response;
	}

}
