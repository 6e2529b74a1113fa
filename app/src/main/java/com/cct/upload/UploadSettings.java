package com.cct.upload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxSize the largest file accepted ({@code CCT_MAX_UPLOAD_SIZE}); Tomcat's multipart limit,
 * the validator, {@code GET /api/formats} and nginx's body limit all follow it
 */
@ConfigurationProperties("cct.upload")
public record UploadSettings(@DefaultValue("1GB") DataSize maxSize) {
}
