package com.cct.storage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link TaskFiles} of the process, chosen by {@code CCT_STORAGE_BACKEND}, checked before
 * anything uses it: a missing bucket or refused credentials stop the start with a message, rather
 * than failing the first upload.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	@Bean
	TaskFiles taskFiles(StorageSettings settings) {
		TaskFiles files = switch (settings.backend()) {
			case FOLDER -> new FileStorage(settings);
			case S3 -> S3Storage.connect(settings);
		};
		files.checkReady();
		return files;
	}

}
