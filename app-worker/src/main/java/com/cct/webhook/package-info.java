/**
 * Webhook deliveries: one job per webhook and task ending, signed with the webhook's secret, sent
 * only to addresses checked after DNS, retried by JobRunr with back-off, each attempt logged.
 */
package com.cct.webhook;
