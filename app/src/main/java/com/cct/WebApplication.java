package com.cct;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import com.cct.system.CommonPool;

/** The web process: accounts, the task API, downloads, progress streams, the page and the dashboard. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WebApplication {

	public static void main(String[] args) {
		CommonPool.atLeastTwoThreads();
		SpringApplication.run(WebApplication.class, args);
	}

}
