package com.cct.web;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Puts {@link UploadGuardValve} in front of the application (it runs before any filter). */
@Configuration(proxyBeanMethods = false)
class UploadGuardConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> uploadGuard(UploadGuardSettings settings,
			ObjectMapper json) {
		return factory -> factory.addContextValves(new UploadGuardValve(settings, json));
	}

}
