package com.cct.web;

import org.apache.coyote.AbstractProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Puts {@link UploadGuardValve} in front of the application (it runs before any filter), and lets
 * one read of a request body bring up to {@value #READ_BUFFER} bytes instead of Tomcat's 8 KB, so
 * an upload costs few reads (the upload reader's own buffer is as large).
 * <p>
 * Tomcat gives every open connection such a read buffer, and a connection inside a request (a head
 * half sent, an event stream) a request buffer as large again: about {@value #BYTES_PER_CONNECTION}
 * bytes of heap each. So the number of open connections is bounded by the heap: at {@code -Xmx256m}
 * 1,500 half-sent request heads from one client ended the process with OutOfMemoryError.
 */
@Configuration(proxyBeanMethods = false)
class UploadGuardConfiguration {

	private static final Logger log = LoggerFactory.getLogger(UploadGuardConfiguration.class);

	static final int READ_BUFFER = 64 * 1024;

	/**
	 * Heap one open connection may hold, rounded up from what was measured at 64 KB read buffers: 172
	 * KB per half-sent request head (500 of them, {@code jcmd GC.class_histogram}), 190 KB per event
	 * stream (docs/scaling.md).
	 */
	static final int BYTES_PER_CONNECTION = 192 * 1024;

	/** Tomcat's own default: past it, file descriptors and the poller are the limit, not the heap. */
	static final int MAX_CONNECTIONS_CEILING = 8192;

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> uploadGuard(UploadGuardSettings settings,
			ObjectMapper json, @Value("${cct.http.max-connections:0}") int configuredMaxConnections) {
		int maxConnections = maxConnections(Runtime.getRuntime().maxMemory(), configuredMaxConnections);
		log.info("At most {} open connections (heap {} MB, up to {} KB each; CCT_HTTP_MAX_CONNECTIONS sets it)",
				maxConnections, Runtime.getRuntime().maxMemory() >> 20, BYTES_PER_CONNECTION >> 10);
		return factory -> {
			factory.addContextValves(new UploadGuardValve(settings, json));
			factory.addConnectorCustomizers(connector -> {
				connector.setProperty("socket.appReadBufSize", Integer.toString(READ_BUFFER));
				if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
					protocol.setMaxConnections(maxConnections);
				}
			});
		};
	}

	/**
	 * The configured number, or as many connections as half the heap carries (the other half is the
	 * application's), between 64 and Tomcat's default.
	 */
	static int maxConnections(long maxHeapBytes, int configured) {
		if (configured > 0) {
			return configured;
		}
		long fits = maxHeapBytes / 2 / BYTES_PER_CONNECTION;
		return (int) Math.max(64, Math.min(MAX_CONNECTIONS_CEILING, fits));
	}

}
