package com.cct;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import com.cct.system.CommonPool;

/**
 * The worker process: JobRunr's background job server running conversions and notification mails.
 * It serves no API; its only HTTP port is the management port (health, metrics).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

	public static void main(String[] args) {
		CommonPool.atLeastTwoThreads();
		SpringApplication application = new SpringApplication(WorkerApplication.class);
		// conversions are CPU-bound: one at a time per core unless CCT_WORKER_COUNT says otherwise
		application.setDefaultProperties(Map.of("cct.cores", Runtime.getRuntime().availableProcessors()));
		application.run(args);
	}

}
