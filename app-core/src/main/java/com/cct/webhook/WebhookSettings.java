package com.cct.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param allowPrivate let webhooks reach loopback, private and link-local addresses
 * ({@code CCT_WEBHOOK_ALLOW_PRIVATE}; tests and private deployments)
 * @param maxPerAccount how many webhooks one account may have
 */
@ConfigurationProperties("cct.webhook")
public record WebhookSettings(@DefaultValue("false") boolean allowPrivate, @DefaultValue("10") int maxPerAccount) {
}
