package com.cct.redis;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;

@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	@Bean(destroyMethod = "close")
	JedisPooled jedis(RedisSettings settings) {
		return new JedisPooled(hostAndPort(settings), clientConfig(settings));
	}

	static HostAndPort hostAndPort(RedisSettings settings) {
		int port = settings.url().getPort() > 0 ? settings.url().getPort() : 6379;
		return new HostAndPort(settings.url().getHost(), port);
	}

	static JedisClientConfig clientConfig(RedisSettings settings) {
		DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
			.connectionTimeoutMillis((int) settings.timeout().toMillis())
			.socketTimeoutMillis((int) settings.timeout().toMillis())
			.clientName("cct");
		String userInfo = settings.url().getUserInfo();
		if (userInfo != null && !userInfo.isEmpty()) {
			int colon = userInfo.indexOf(':');
			if (colon >= 0) {
				if (colon > 0) {
					config.user(userInfo.substring(0, colon));
				}
				config.password(userInfo.substring(colon + 1));
			}
			else {
				config.password(userInfo);
			}
		}
		String path = settings.url().getPath();
		if (path != null && path.length() > 1) {
			config.database(Integer.parseInt(path.substring(1)));
		}
		return config.build();
	}

}
