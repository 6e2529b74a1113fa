package com.cct.web;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Puts {@link UploadGuardValve} in front of the application (it runs before any filter), and lets
 * one read of a request body bring up to {@value #READ_BUFFER} bytes instead of Tomcat's 8 KB, so
 * an upload costs few reads (the upload reader's own buffer is as large).
 */
@Configuration(proxyBeanMethods = false)
class UploadGuardConfiguration {

	static final int READ_BUFFER = 64 * 1024;

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> uploadGuard(UploadGuardSettings settings,
			ObjectMapper json) {
		return factory -> {
			factory.addContextValves(new UploadGuardValve(settings, json));
			factory.addConnectorCustomizers(
					connector -> connector.setProperty("socket.appReadBufSize", Integer.toString(READ_BUFFER)));
		};
	}

}
