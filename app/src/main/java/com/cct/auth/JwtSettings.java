package com.cct.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secret the HS256 key ({@code CCT_JWT_SECRET}); at least 32 bytes outside the local profile
 * @param ttl how long a token lives
 */
@ConfigurationProperties("cct.jwt")
record JwtSettings(String secret, @DefaultValue("1h") Duration ttl) {
}
