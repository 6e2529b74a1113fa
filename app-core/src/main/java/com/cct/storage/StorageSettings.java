package com.cct.storage;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param root the folder shared by the web process and every worker (a volume or NFS mount), one
 * sub-folder per user and task
 */
@ConfigurationProperties("cct.storage")
public record StorageSettings(@DefaultValue("./data") Path root) {
}
