package com.cct.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

class RedisConfigurationTests {

	static RedisSettings settings(String url) {
		return new RedisSettings(URI.create(url), Duration.ofMillis(750), Duration.ofSeconds(2), Duration.ofHours(24));
	}

	@Test
	void readsHostPortPasswordAndDatabase() {
		RedisSettings settings = settings("redis://:s3cret@cache.internal:1234/2");
		assertThat(RedisConfiguration.hostAndPort(settings)).isEqualTo(new HostAndPort("cache.internal", 1234));
		JedisClientConfig config = RedisConfiguration.clientConfig(settings);
		assertThat(config.getUser()).isNull();
		assertThat(config.getPassword()).isEqualTo("s3cret");
		assertThat(config.getDatabase()).isEqualTo(2);
	}

	@Test
	void readsUserAndPassword() {
		JedisClientConfig config = RedisConfiguration.clientConfig(settings("redis://app:pw@h"));
		assertThat(config.getUser()).isEqualTo("app");
		assertThat(config.getPassword()).isEqualTo("pw");
		assertThat(config.getDatabase()).isZero();
	}

	@Test
	void readsAPasswordWithoutColon() {
		JedisClientConfig config = RedisConfiguration.clientConfig(settings("redis://onlysecret@h:6380"));
		assertThat(config.getUser()).isNull();
		assertThat(config.getPassword()).isEqualTo("onlysecret");
	}

	@Test
	void decodesThePasswordAndKeepsItsColons() {
		JedisClientConfig config = RedisConfiguration.clientConfig(settings("redis://:p%40ss:word@h"));
		assertThat(config.getPassword()).isEqualTo("p@ss:word");
	}

	@Test
	void defaultsToPort6379NoCredentialsAndDatabaseZero() {
		RedisSettings settings = settings("redis://localhost");
		assertThat(RedisConfiguration.hostAndPort(settings)).isEqualTo(new HostAndPort("localhost", 6379));
		JedisClientConfig config = RedisConfiguration.clientConfig(settings);
		assertThat(config.getUser()).isNull();
		assertThat(config.getPassword()).isNull();
		assertThat(config.getDatabase()).isZero();
		assertThat(RedisConfiguration.clientConfig(settings("redis://localhost/")).getDatabase()).isZero();
	}

	@Test
	void usesTheShortTimeoutForConnectAndReadAndNamesItself() {
		JedisClientConfig config = RedisConfiguration.clientConfig(settings("redis://localhost:6379"));
		assertThat(config.getConnectionTimeoutMillis()).isEqualTo(750);
		assertThat(config.getSocketTimeoutMillis()).isEqualTo(750);
		assertThat(config.getClientName()).isEqualTo("cct");
	}

}
