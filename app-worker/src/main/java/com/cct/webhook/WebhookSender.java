package com.cct.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

import com.cct.system.Threads;

/**
 * One POST to a webhook, to the addresses that were checked and to no other: the client's DNS
 * resolver answers with them alone, so TLS still verifies the host name while a name that resolves
 * elsewhere by now (rebinding) is never asked again. 5 s to connect, 10 s for the whole exchange,
 * no redirects, no retries of its own (JobRunr retries the job), at most 4 KB of the answer read.
 */
@Component
class WebhookSender {

	static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);

	static final long TOTAL_TIMEOUT_SECONDS = 10;

	static final int MAX_ANSWER_BYTES = 4096;

	private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
			Threads.daemon("webhook-deadline"));

	Answer post(URI url, List<InetAddress> addresses, Map<String, String> headers, byte[] body) throws IOException {
		String host = url.getHost();
		DnsResolver pinned = new DnsResolver() {
			@Override
			public InetAddress[] resolve(String name) throws UnknownHostException {
				if (!name.equalsIgnoreCase(host) && !name.equalsIgnoreCase(unbracketed(host))) {
					throw new UnknownHostException(name);
				}
				return addresses.toArray(InetAddress[]::new);
			}

			@Override
			public String resolveCanonicalHostname(String name) {
				return name;
			}
		};
		ConnectionConfig connection = ConnectionConfig.custom()
			.setConnectTimeout(CONNECT_TIMEOUT)
			.setSocketTimeout(Timeout.ofSeconds(TOTAL_TIMEOUT_SECONDS))
			.build();
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(pinned)
				.setDefaultConnectionConfig(connection)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setRedirectsEnabled(false)
				.setResponseTimeout(Timeout.ofSeconds(TOTAL_TIMEOUT_SECONDS))
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.setUserAgent("cct-webhooks/1")
			.build();
		HttpPost post = new HttpPost(url);
		headers.forEach(post::setHeader);
		post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
		// the timeouts above bound each step; this bounds the whole exchange (a trickling answer)
		ScheduledFuture<?> deadline = this.deadlines.schedule(post::cancel, TOTAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		try {
			ClassicHttpResponse response = client.executeOpen(null, post, null);
			return new Answer(response.getCode(), head(response.getEntity()));
		}
		finally {
			deadline.cancel(false);
			// drops the connection with the rest of the answer unread (closing the stream would read it)
			post.cancel();
			closeQuietly(client);
		}
	}

	private static void closeQuietly(CloseableHttpClient client) {
		try {
			client.close();
		}
		catch (IOException ex) {
			// the connection was cut on purpose
		}
	}

	private static String unbracketed(String host) {
		return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
	}

	private static String head(HttpEntity entity) throws IOException {
		if (entity == null) {
			return "";
		}
		InputStream in = entity.getContent();
		return new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
	}

	/** The receiver's status code and the start of its answer. */
	record Answer(int code, String head) {

		boolean accepted() {
			return this.code >= 200 && this.code < 300;
		}

	}

}
