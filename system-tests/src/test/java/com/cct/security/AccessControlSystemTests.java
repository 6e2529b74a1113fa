package com.cct.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.cct.support.OnSharedStack;
import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.cct.support.Tus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every route the OpenAPI description lists, called with every kind of credential, against one table
 * of expected statuses. A route missing from the table fails the build, so a new endpoint cannot
 * ship without someone deciding who may call it.
 */
class AccessControlSystemTests extends OnSharedStack {

	/** The credentials each route is tried with, in the table's column order. */
	enum Caller {
		NO_TOKEN, EXPIRED, OTHER_KEY, ALG_NONE, MALFORMED, OTHER_USER, OWNER
	}

	/** What a route acts on; the owner gets a fresh one where the call changes it. */
	enum Subject {
		NOTHING, NEW_ACCOUNT, CREDENTIALS, UPLOAD, FINISHED_TASK, DELETABLE_TASK, RUNNING_TASK, FAILED_TASK, RESULT_FILE,
		NEW_KEY, OWN_KEY, NEW_WEBHOOK, OWN_WEBHOOK, WRONG_PASSWORD,
		/** tus creation, with its headers */
		RESUMABLE_CREATION,
		/** a tus upload in progress (PATCH, DELETE); a stranger tries the finished task's id */
		RESUMABLE_UPLOAD,
		/** the finished task's original converted again (a new task) */
		CONVERT
	}

	record Row(Subject subject, int[] statuses) {

		int expected(Caller caller) {
			return this.statuses[caller.ordinal()];
		}

	}

	// @formatter:off
	/** route -> subject, then the status for: none, expired, other key, alg none, malformed, other user, owner */
	static final Map<String, Row> TABLE = table(
			"POST /api/auth/signup",           Subject.NEW_ACCOUNT,    201, 201, 201, 201, 201, 201, 201,
			"POST /api/auth/login",            Subject.CREDENTIALS,    200, 200, 200, 200, 200, 200, 200,
			// public (a link in a mail); called without its token here, so a 400 for everyone
			"GET /api/auth/verify",            Subject.NOTHING,        400, 400, 400, 400, 400, 400, 400,
			"GET /api/formats",                Subject.NOTHING,        200, 200, 200, 200, 200, 200, 200,
			"GET /api/account",                Subject.NOTHING,        401, 401, 401, 401, 401, 200, 200,
			// the owner's token must stay valid for the other rows: a wrong password here (403); the
			// changes themselves are ApiClientSystemTests'
			"POST /api/account/password",      Subject.WRONG_PASSWORD, 401, 401, 401, 401, 401, 403, 403,
			"DELETE /api/account",             Subject.WRONG_PASSWORD, 401, 401, 401, 401, 401, 403, 403,
			"GET /api/keys",                   Subject.NOTHING,        401, 401, 401, 401, 401, 200, 200,
			"POST /api/keys",                  Subject.NEW_KEY,        401, 401, 401, 401, 401, 201, 201,
			"DELETE /api/keys/{id}",           Subject.OWN_KEY,        401, 401, 401, 401, 401, 404, 204,
			"GET /api/webhooks",               Subject.NOTHING,        401, 401, 401, 401, 401, 200, 200,
			"POST /api/webhooks",              Subject.NEW_WEBHOOK,    401, 401, 401, 401, 401, 201, 201,
			"DELETE /api/webhooks/{id}",       Subject.OWN_WEBHOOK,    401, 401, 401, 401, 401, 404, 204,
			"GET /api/webhooks/{id}/deliveries", Subject.OWN_WEBHOOK,  401, 401, 401, 401, 401, 404, 200,
			"GET /api/tasks",                  Subject.NOTHING,        401, 401, 401, 401, 401, 200, 200,
			"POST /api/tasks",                 Subject.UPLOAD,         401, 401, 401, 401, 401, 201, 201,
			"GET /api/tasks/{id}",             Subject.FINISHED_TASK,  401, 401, 401, 401, 401, 404, 200,
			"DELETE /api/tasks/{id}",          Subject.DELETABLE_TASK, 401, 401, 401, 401, 401, 404, 204,
			"POST /api/tasks/{id}/cancel",     Subject.RUNNING_TASK,   401, 401, 401, 401, 401, 404, 202,
			"POST /api/tasks/{id}/retry",      Subject.FAILED_TASK,    401, 401, 401, 401, 401, 404, 202,
			"POST /api/tasks/{id}/convert",    Subject.CONVERT,        401, 401, 401, 401, 401, 404, 201,
			"GET /api/tasks/{id}/events",      Subject.FINISHED_TASK,  401, 401, 401, 401, 401, 404, 200,
			"GET /api/files/{name}",           Subject.RESULT_FILE,    401, 401, 401, 401, 401, 404, 200,
			"POST /api/uploads",               Subject.RESUMABLE_CREATION, 401, 401, 401, 401, 401, 201, 201,
			"PATCH /api/uploads/{id}",         Subject.RESUMABLE_UPLOAD, 401, 401, 401, 401, 401, 404, 204,
			"DELETE /api/uploads/{id}",        Subject.RESUMABLE_UPLOAD, 401, 401, 401, 401, 401, 404, 204);
	// @formatter:on

	private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

	static Api.User owner;

	static Api.User other;

	static JsonNode finished;

	static Path wav;

	static Path video;

	@BeforeAll
	static void prepare() {
		owner = api.newUser();
		other = api.newUser();
		wav = Media.audio(files, "song.wav", 1);
		video = Media.video(files, "clip.mp4", 10);
		finished = finishedTask();
	}

	static Stream<Arguments> routesTimesCallers() {
		return documentedRoutes().stream()
			.flatMap(route -> Arrays.stream(Caller.values()).map(caller -> Arguments.of(route, caller)));
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("routesTimesCallers")
	void answersEachCallerAsTheTableSays(String route, Caller caller) {
		Row row = TABLE.get(route);
		assertThat(row).as("%s is documented but has no row in the access table: decide who may call it", route)
			.isNotNull();
		String method = route.substring(0, route.indexOf(' '));
		String template = route.substring(route.indexOf(' ') + 1);
		String path = resolve(template, caller == Caller.OWNER ? subjectFor(row.subject()) : finished);

		Api.Response response = call(method, path, row.subject(), token(caller));

		assertThat(response.status()).as("%s %s as %s: %s", method, path, caller, response.text())
			.isEqualTo(row.expected(caller));
		if (response.status() == 401 || response.status() == 404) {
			assertProblem(response);
		}
		if (caller != Caller.OWNER && row.subject() != Subject.NOTHING) {
			// whatever a stranger tried, the owner's task is untouched
			assertThat(api.task(owner.token(), finished.get("id").asText()).get("status").asText()).isEqualTo("processed");
		}
		if (caller == Caller.OTHER_USER && route.equals("GET /api/tasks")) {
			assertThat(response.text()).doesNotContain(finished.get("id").asText());
		}
	}

	@Test
	void tableListsOnlyDocumentedRoutes() {
		assertThat(TABLE.keySet()).as("rows for routes the API no longer documents")
			.containsExactlyInAnyOrderElementsOf(documentedRoutes());
	}

	@ParameterizedTest
	@ValueSource(strings = { "access_token", "token", "jwt", "bearer", "auth", "authorization", "Authorization" })
	void neverTakesATokenFromTheUrl(String parameter) {
		String id = finished.get("id").asText();
		for (String path : List.of("/api/tasks", "/api/tasks/" + id, "/api/tasks/" + id + "/events",
				"/api/files/" + finished.get("processedFile").asText())) {
			Api.Response response = api.get(path + "?" + parameter + "=" + owner.token(), null);
			assertThat(response.status()).as(path + "?" + parameter).isEqualTo(401);
			assertProblem(response);
		}
	}

	@Test
	void refusesUndocumentedMethodsEvenToTheOwner() {
		Set<String> documented = documentedRoutes();
		Set<String> templates = new TreeSet<>();
		documented.forEach(route -> templates.add(route.substring(route.indexOf(' ') + 1)));
		for (String template : templates) {
			for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
				if (documented.contains(method + " " + template)) {
					continue;
				}
				Api.Response response = api.send(request(resolve(template, finished), owner.token())
					.method(method, HttpRequest.BodyPublishers.noBody())
					.build());
				assertThat(response.status()).as("%s %s", method, template).isIn(404, 405);
			}
		}
		assertThat(api.task(owner.token(), finished.get("id").asText()).get("status").asText()).isEqualTo("processed");
	}

	// --- the routes the app documents

	static Set<String> documentedRoutes() {
		JsonNode paths = TestStack.shared().api().get("/v3/api-docs", null).json().get("paths");
		Set<String> routes = new TreeSet<>();
		paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
			if (METHODS.contains(method)) {
				routes.add(method.toUpperCase(Locale.ROOT) + " " + path);
			}
		}));
		return routes;
	}

	// --- callers

	static String token(Caller caller) {
		UUID ownerId = UUID.fromString(JWT.decode(owner.token()).getSubject());
		Algorithm real = Algorithm.HMAC256(TestStack.JWT_SECRET);
		return switch (caller) {
			case NO_TOKEN -> null;
			case EXPIRED -> claims(ownerId).withIssuedAt(Instant.now().minus(Duration.ofHours(2)))
				.withExpiresAt(Instant.now().minus(Duration.ofMinutes(5)))
				.sign(real);
			case OTHER_KEY -> claims(ownerId).sign(Algorithm.HMAC256("another-secret-0123456789abcdef-0123456789"));
			case ALG_NONE -> claims(ownerId).sign(Algorithm.none());
			case MALFORMED -> "eyJhbGciOiJIUzI1NiJ9.not-json." + owner.token().substring(owner.token().lastIndexOf('.') + 1);
			case OTHER_USER -> other.token();
			case OWNER -> owner.token();
		};
	}

	private static com.auth0.jwt.JWTCreator.Builder claims(UUID userId) {
		return JWT.create()
			.withIssuer("cloud-conversion-tool")
			.withSubject(userId.toString())
			.withClaim("username", owner.username())
			.withIssuedAt(Instant.now())
			.withExpiresAt(Instant.now().plus(Duration.ofHours(1)));
	}

	// --- subjects

	static JsonNode subjectFor(Subject subject) {
		return switch (subject) {
			case DELETABLE_TASK -> finishedTask();
			case RUNNING_TASK -> {
				JsonNode created = api.upload(owner.token(), video, "webm").json();
				assertThat(created.get("status").asText()).isIn("uploaded", "processing");
				yield created;
			}
			case FAILED_TASK -> failedTask();
			case OWN_KEY -> api.postJson("/api/keys", Map.of("name", "acl"), owner.token()).json();
			case OWN_WEBHOOK -> webhook(owner.token()).json();
			case RESUMABLE_UPLOAD -> {
				// resolve() takes an id (the upload's) and a processedFile (unused by these routes)
				ObjectNode upload = JsonNodeFactory.instance.objectNode();
				upload.put("id", new Tus(api).start(owner.token(), 1000, "song.wav", "mp3"));
				upload.put("processedFile", finished.get("processedFile").asText());
				yield upload;
			}
			default -> finished;
		};
	}

	static JsonNode finishedTask() {
		Api.Response created = api.upload(owner.token(), wav, "mp3");
		assertThat(created.status()).isEqualTo(201);
		JsonNode done = Tasks.awaitEnd(api, owner.token(), created.json().get("id").asText(), Duration.ofSeconds(60));
		assertThat(done.get("status").asText()).isEqualTo("processed");
		return done;
	}

	static JsonNode failedTask() {
		try {
			byte[] bytes = Files.readAllBytes(video);
			Path truncated = Media.write(files.resolve("cut-" + UUID.randomUUID() + ".mp4"),
					Arrays.copyOf(bytes, bytes.length / 4));
			Api.Response created = api.upload(owner.token(), truncated, "webm");
			assertThat(created.status()).isEqualTo(201);
			JsonNode done = Tasks.awaitEnd(api, owner.token(), created.json().get("id").asText(), Duration.ofSeconds(60));
			assertThat(done.get("status").asText()).isEqualTo("failed");
			return done;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	// --- requests

	static String resolve(String template, JsonNode task) {
		String path = template.replace("{id}", task.get("id").asText());
		// keys and webhooks have an id and no file
		return path.contains("{name}") ? path.replace("{name}", task.get("processedFile").asText()) : path;
	}

	static Api.Response call(String method, String path, Subject subject, String token) {
		return switch (subject) {
			case NEW_ACCOUNT -> {
				String name = "acl" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
				yield api.postJson(path, Map.of("username", name, "email", name + "@example.test", "password1",
						"correct-horse-9", "password2", "correct-horse-9"), token);
			}
			case CREDENTIALS -> {
				String name = "acl" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
				assertThat(api.signup(name, name + "@example.test", "correct-horse-9", "correct-horse-9").status())
					.isEqualTo(201);
				yield api.postJson(path, Map.of("username", name, "password", "correct-horse-9"), token);
			}
			case UPLOAD -> api.upload(token, wav, "mp3");
			case CONVERT -> api.postJson(path, Map.of("newFormat", "ogg"), token);
			case NEW_KEY -> api.postJson(path, Map.of("name", "acl"), token);
			case NEW_WEBHOOK -> {
				Api.Response created = webhook(token);
				if (created.status() == 201) {
					api.delete("/api/webhooks/" + created.json().get("id").asText(), token);
				}
				yield created;
			}
			case WRONG_PASSWORD -> api.send(request(path, token).method(method, HttpRequest.BodyPublishers
				.ofString("{\"password\":\"not-it-0\",\"oldPassword\":\"not-it-0\",\"newPassword\":\"another-horse-7\"}"))
				.header("Content-Type", "application/json")
				.build());
			case RESUMABLE_CREATION -> new Tus(api).create(token, 1000, Tus.metadata("filename", "song.wav", "newFormat", "mp3"));
			case RESUMABLE_UPLOAD -> api.send(new Tus(api).request(path, token)
				.header("Content-Type", "application/offset+octet-stream")
				.header("Upload-Offset", "0")
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build());
			default -> api.send(request(path, token).method(method, HttpRequest.BodyPublishers.noBody()).build());
		};
	}

	/**
	 * A webhook to a public address literal (the shared stack refuses private ones), told of cancels
	 * only, so the few tasks the owner cancels here cost the worker a delivery attempt or two at most.
	 */
	static Api.Response webhook(String token) {
		return api.postJson("/api/webhooks", Map.of("url", "https://93.184.215.14/acl", "events", List.of("task.cancelled")),
				token);
	}

	@AfterAll
	static void removeWebhooks() {
		api.get("/api/webhooks", owner.token()).json()
			.forEach(webhook -> api.delete("/api/webhooks/" + webhook.get("id").asText(), owner.token()));
	}

	static HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(Duration.ofSeconds(30));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	static void assertProblem(Api.Response response) {
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("status").asInt()).isEqualTo(response.status());
		assertThat(body.get("type").asText()).startsWith("urn:cct:problem:");
		assertThat(body.get("title").asText()).isNotBlank();
		assertThat(response.text()).doesNotContainIgnoringCase("exception").doesNotContain("at com.");
	}

	private static Map<String, Row> table(Object... cells) {
		int width = 2 + Caller.values().length;
		Map<String, Row> rows = new LinkedHashMap<>();
		for (int i = 0; i < cells.length; i += width) {
			int[] statuses = new int[Caller.values().length];
			for (int c = 0; c < statuses.length; c++) {
				statuses[c] = (Integer) cells[i + 2 + c];
			}
			rows.put((String) cells[i], new Row((Subject) cells[i + 1], statuses));
		}
		return rows;
	}

}
