package com.cct.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.cct.client.ApiClient;
import com.cct.client.ApiException;
import com.cct.client.api.AccountsApi;
import com.cct.client.api.ApiKeysApi;
import com.cct.client.api.FilesApi;
import com.cct.client.api.TasksApi;
import com.cct.client.model.CreateKeyRequest;
import com.cct.client.model.LoginRequest;
import com.cct.client.model.SignupRequest;
import com.cct.client.model.TaskResponse;
import com.cct.support.Media;
import com.cct.support.OnSharedStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document is usable as client teams use it: the build generates a Java client from it
 * (openapi-generator's Maven plugin, src/test/openapi/cct-api.json), and that client signs up, logs
 * in, makes an API key, uploads, waits and downloads here. The document it was generated from must be
 * the one the web serves, so neither can drift from the other.
 */
class ClientGenerationSystemTests extends OnSharedStack {

	static final Path COMMITTED = Path.of("src", "test", "openapi", "cct-api.json");

	static final Path LIVE = Path.of("target", "cct-api-live.json");

	@Test
	void theClientIsGeneratedFromTheDocumentTheWebServes() throws Exception {
		ObjectMapper json = new ObjectMapper();
		JsonNode served = api.get("/v3/api-docs", null).json();
		// where the document was fetched from is no part of the API
		((ObjectNode) served).remove("servers");
		JsonNode committed = json.readTree(COMMITTED.toFile());
		if (!served.equals(committed)) {
			Files.createDirectories(LIVE.getParent());
			json.writerWithDefaultPrettyPrinter().writeValue(LIVE.toFile(), served);
		}
		assertThat(served).as("GET /v3/api-docs differs from %s: if the change is meant, "
				+ "cp system-tests/%s system-tests/%s and rebuild the client", COMMITTED, LIVE, COMMITTED)
			.isEqualTo(committed);
	}

	@Test
	void theGeneratedClientUploadsAndDownloads() throws Exception {
		ApiClient client = new ApiClient();
		client.updateBaseUri(stack.baseUrl());
		client.setReadTimeout(Duration.ofSeconds(60));
		AccountsApi accounts = new AccountsApi(client);
		String name = "gen" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String password = "generated-horse-9";
		accounts.signUp(new SignupRequest().username(name).email(name + "@example.test").password1(password)
			.password2(password));
		String token = accounts.login(new LoginRequest().username(name).password(password)).getToken();
		// the generated APIs take the client's interceptor when they are made
		client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
		assertThat(new AccountsApi(client).getAccount().getUsername()).isEqualTo(name);

		// a script would go on with a key
		String key = new ApiKeysApi(client).createApiKey(new CreateKeyRequest().name("generated client")).getKey();
		ApiClient script = new ApiClient();
		script.updateBaseUri(stack.baseUrl());
		script.setReadTimeout(Duration.ofSeconds(60));
		script.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
		TasksApi tasks = new TasksApi(script);

		File wav = Media.audio(files, "generated.wav", 2).toFile();
		// the generated client sends every file part it knows (it cannot leave an optional one out), so
		// the same file goes as "file" and "fileName"; the API takes "fileName"
		TaskResponse created = tasks.create("mp3", null, false, null, wav, wav);
		assertThat(created.getStatus()).isIn("uploaded", "processing");
		String id = created.getId().toString();
		await("processed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
			.until(() -> List.of("processed", "failed", "cancelled").contains(tasks.get(id).getStatus()));
		TaskResponse done = tasks.get(id);
		assertThat(done.getStatus()).isEqualTo("processed");
		assertThat(tasks.callList(10, 1, "processed")).extracting(TaskResponse::getId).containsExactly(created.getId());

		File result = new FilesApi(script).download(done.getProcessedFile());
		JsonNode probe = Media.probe(result.toPath());
		assertThat(probe.get("format").get("format_name").asText()).isEqualTo("mp3");
		assertThat(Files.size(result.toPath())).isEqualTo(done.getProcessedSizeBytes());

		assertThatThrownBy(() -> tasks.get(UUID.randomUUID().toString())).isInstanceOf(ApiException.class)
			.satisfies(ex -> assertThat(((ApiException) ex).getCode()).isEqualTo(404));
	}

}
