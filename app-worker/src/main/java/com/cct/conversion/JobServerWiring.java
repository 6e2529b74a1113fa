package com.cct.conversion;

import java.util.List;

import org.jobrunr.server.BackgroundJobServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring Boot starter registers no job filter beans by itself; ours are added to the background
 * job server before it starts, so no job can end without them.
 */
@Configuration(proxyBeanMethods = false)
class JobServerWiring {

	@Bean
	static BeanPostProcessor failedTaskFilterRegistrar(ObjectProvider<FailedTaskFilter> filter,
			ObjectProvider<FairShareFilter> fairShare) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof BackgroundJobServer server) {
					server.setJobFilters(List.of(filter.getObject(), fairShare.getObject()));
				}
				return bean;
			}
		};
	}

}
