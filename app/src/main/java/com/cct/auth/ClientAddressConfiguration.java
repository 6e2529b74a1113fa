package com.cct.auth;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import jakarta.servlet.DispatcherType;

/** The client address filter ahead of every other, Spring Security's included. */
@Configuration(proxyBeanMethods = false)
class ClientAddressConfiguration {

	@Bean
	FilterRegistrationBean<ClientAddressFilter> clientAddressFilter(TrustedProxies.Settings settings) {
		var registration = new FilterRegistrationBean<>(
				new ClientAddressFilter(new TrustedProxies(settings.trusted())));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

}
