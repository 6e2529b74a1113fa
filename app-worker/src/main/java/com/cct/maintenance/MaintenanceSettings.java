package com.cct.maintenance;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention tasks and their files older than this are deleted ({@code CCT_RETENTION}); zero
 * keeps them forever
 * @param reconcileGrace how old an {@code uploaded} task without a job must be before the reconciler
 * enqueues it (a fresh upload is enqueued right after its row is committed)
 * @param stuckAfter how long a {@code processing} task whose job is not running is left alone
 */
@ConfigurationProperties("cct.maintenance")
record MaintenanceSettings(@DefaultValue("7d") Duration retention, @DefaultValue("30s") Duration reconcileGrace,
		@DefaultValue("2m") Duration stuckAfter) {
}
