package com.cct.redis;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param url where Redis is ({@code redis://[:password@]host:port[/db]})
 * @param timeout connect and read timeout; short, because Redis is only a cache and a slow answer
 * is worse than none
 * @param retryAfter how long to stop calling Redis after a failure before trying again
 * @param snapshotTtl how long a task snapshot lives in Redis without being refreshed
 */
@ConfigurationProperties("cct.redis")
public record RedisSettings(@DefaultValue("redis://localhost:6379") URI url,
		@DefaultValue("500ms") Duration timeout, @DefaultValue("2s") Duration retryAfter,
		@DefaultValue("24h") Duration snapshotTtl) {
}
