package com.cct.task;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one account may hold at once on this free service; set on the web process, which admits
 * uploads and retries and opens event streams.
 *
 * @param activeTasks unfinished tasks (uploaded or processing) at once ({@code CCT_USER_ACTIVE_TASKS});
 * a retry counts like an upload
 * @param storageQuota bytes of originals and results kept ({@code CCT_USER_STORAGE_QUOTA})
 * @param uploadsPerHour uploads accepted in any hour ({@code CCT_USER_UPLOADS_PER_HOUR}); deleting
 * tasks does not give uploads back
 * @param streams open event streams per web process ({@code CCT_USER_STREAMS})
 */
@ConfigurationProperties("cct.user-limits")
public record UserLimits(@DefaultValue("10") int activeTasks, @DefaultValue("10GB") DataSize storageQuota,
		@DefaultValue("200") int uploadsPerHour, @DefaultValue("10") int streams) {
}
