package com.cct.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cct.support.Api;
import com.cct.support.Mailbox;
import com.cct.support.Media;
import com.cct.support.Tasks;
import com.cct.support.TestStack;
import com.cct.support.ThrowawayServices;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/**
 * The attacks of issue 14 against both jars, on a stack of their own with small limits. The stack
 * trusts 127.0.0.1 as its proxy: a request from there with {@code X-Forwarded-For} is a client at
 * that address (as behind nginx); a request from 127.0.0.2 is a client connecting directly, whatever
 * header it forges. Every client address is fresh (198.18.0.0/15, the benchmarking range).
 */
class FairAuthSystemTests {

	private static final int PER_USER_AND_IP = 3;

	private static final int PER_IP = 6;

	private static final int PER_USER = 8;

	private static final int SIGNUPS_PER_IP = 3;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final AtomicInteger ADDRESSES = new AtomicInteger();

	static TestStack stack;

	/**
	 * Its own Redis: the limiters count per address, and on the shared Redis this stack's tiny limits
	 * would also count the failed logins other suites make from 127.0.0.1 at the same time.
	 */
	static ThrowawayServices.Redis redis;

	static Api api;

	@TempDir
	static Path files;

	@BeforeAll
	static void startStack() {
		redis = new ThrowawayServices.Redis().start();
		stack = TestStack.isolated("fairauth", redis.port, TestStack.SHARED_PG_PORT, Map.of(),
				Map.of("CCT_TRUSTED_PROXIES", "127.0.0.1/32", "CCT_LOGIN_LIMIT_PER_USER_AND_IP",
						Integer.toString(PER_USER_AND_IP), "CCT_LOGIN_LIMIT_PER_IP", Integer.toString(PER_IP),
						"CCT_LOGIN_LIMIT_PER_USER", Integer.toString(PER_USER), "CCT_SIGNUP_LIMIT_PER_IP",
						Integer.toString(SIGNUPS_PER_IP)));
		api = new Api(stack.baseUrl());
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.stop();
		}
		if (redis != null) {
			redis.stop();
		}
	}

	@Nested
	class LockingOutAnOwner {

		@Test
		void failsTheGuesserIsHeldUpWhileTheOwnerLogsInFromAnotherAddress() {
			Api.User victim = newUser();
			String attacker = fresh();
			for (int i = 0; i < PER_USER_AND_IP; i++) {
				assertThat(login(attacker, victim.username(), "guess-" + i).status()).isEqualTo(401);
			}

			for (int i = 0; i < 10; i++) {
				Api.Response blocked = login(attacker, victim.username(), "guess-more-" + i);
				assertThat(blocked.status()).isEqualTo(429);
				assertThat(blocked.header("Content-Type")).startsWith("application/problem+json");
				assertThat(blocked.json().get("type").asText()).isEqualTo("urn:cct:problem:too-many-logins");
				assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);
				// the owner, meanwhile, from an address of their own
				Api.Response owner = login(fresh(), victim.username().toUpperCase(), victim.password());
				assertThat(owner.status()).isEqualTo(200);
				assertThat(owner.json().get("token").asText()).isNotBlank();
			}
			// even the right password waits on the guesser's address: nothing there is believed
			assertThat(login(attacker, victim.username(), victim.password()).status()).isEqualTo(429);
		}

		@Test
		void failsFromManyAddressesTooTheOwnerStillGetsIn() {
			Api.User victim = newUser();
			List<String> botnet = IntStream.range(0, PER_USER + 2).mapToObj(i -> fresh()).toList();
			botnet.forEach(bot -> assertThat(login(bot, victim.username(), "guess").status()).isEqualTo(401));

			// past the name's ceiling every address that failed on it waits after a single failure
			botnet.forEach(bot -> assertThat(login(bot, victim.username(), "guess-2").status()).isEqualTo(429));
			String newBot = fresh();
			assertThat(login(newBot, victim.username(), "guess").status()).isEqualTo(401);
			assertThat(login(newBot, victim.username(), "guess-2").status()).isEqualTo(429);

			assertThat(login(fresh(), victim.username(), victim.password()).status()).isEqualTo(200);
		}

		@Test
		void anAddressThatFailsOnManyNamesIsHeldUpOnEveryName() {
			String stuffer = fresh();
			for (int i = 0; i < PER_IP; i++) {
				assertThat(login(stuffer, "nobody-" + UUID.randomUUID(), "guess").status()).isEqualTo(401);
			}
			Api.User bystander = newUser();

			assertThat(login(stuffer, bystander.username(), bystander.password()).status()).isEqualTo(429);
			assertThat(login(fresh(), bystander.username(), bystander.password()).status()).isEqualTo(200);
		}

		@Test
		void aRightPasswordStartsThePairAfresh() {
			Api.User user = newUser();
			String home = fresh();
			// twice, so the address's own failures (4) stay under its limit (6): those a right password keeps
			for (int round = 0; round < 2; round++) {
				for (int i = 0; i < PER_USER_AND_IP - 1; i++) {
					assertThat(login(home, user.username(), "typo-" + i).status()).isEqualTo(401);
				}
				assertThat(login(home, user.username(), user.password()).status()).isEqualTo(200);
			}
		}

	}

	@Nested
	class ClientAddresses {

		@Test
		void aForgedForwardedForFromAPeerThatIsNotAProxyChangesNothing() {
			Api.User victim = newUser();
			for (int i = 0; i < PER_USER_AND_IP; i++) {
				assertThat(directLogin(fresh(), victim.username(), "guess-" + i)).isEqualTo(401);
			}
			// every guess counted against the peer itself, whatever address it claimed
			assertThat(directLogin(fresh(), victim.username(), "guess")).isEqualTo(429);
			assertThat(directLogin(fresh(), victim.username(), victim.password())).isEqualTo(429);

			assertThat(login(fresh(), victim.username(), victim.password()).status()).isEqualTo(200);
		}

		@Test
		void theTrustedProxysHeaderIsHonouredOneClientAtATime() {
			Api.User user = newUser();
			String first = fresh();
			for (int i = 0; i < PER_USER_AND_IP; i++) {
				login(first, user.username(), "guess-" + i);
			}
			assertThat(login(first, user.username(), "guess").status()).isEqualTo(429);

			// the proxy's other clients, and the proxy itself, are other addresses
			assertThat(login(fresh(), user.username(), "guess").status()).isEqualTo(401);
			assertThat(login(fresh() + ", " + fresh(), user.username(), "guess").status()).isEqualTo(401);
			assertThat(api.login(user.username(), user.password()).status()).isEqualTo(200);
			// a client that put its own header in front of the proxy's entry is still that entry
			assertThat(login("203.0.113.9, " + first, user.username(), user.password()).status()).isEqualTo(429);
		}

	}

	@Nested
	class SignUp {

		@Test
		void aTakenEmailGetsTheAnswerOfANewAccountAndItsOwnerANote() throws Exception {
			Api.User owner = newUser();
			String name = name();
			Api.Response fresh = signup(fresh(), name(), name + "@example.test");
			Api.Response taken = signup(fresh(), name, owner.email().toUpperCase());

			assertThat(taken.status()).isEqualTo(fresh.status()).isEqualTo(201);
			assertThat(fieldNames(taken)).isEqualTo(fieldNames(fresh)).containsExactly("id", "username", "email");
			assertThat(taken.json().get("username").asText()).isEqualTo(name);
			assertThat(taken.json().get("id").asText()).isNotEqualTo(idOf(owner));
			assertThat(taken.header("Location")).isEqualTo("/api/auth/users/" + taken.json().get("id").asText());
			assertThat(taken.header("Content-Type")).isEqualTo(fresh.header("Content-Type"));
			// nothing was created: the name is free and cannot log in
			assertThat(login(fresh(), name, "correct-horse-9").status()).isEqualTo(401);
			assertThat(count("select count(*) from users where lower(email) = lower(?)", owner.email())).isEqualTo(1);
			assertThat(count("select count(*) from users where username = ?", name)).isZero();

			await("the note to the address's owner").atMost(Duration.ofSeconds(60))
				.until(() -> Mailbox.accountMails(stack, owner.email(), "address-used").size() == 1);
			MimeMessage note = Mailbox.accountMails(stack, owner.email(), "address-used").get(0);
			assertThat(note.getContent().toString()).contains(owner.username()).doesNotContain("correct-horse-9");
			// a second try within the hour mails nobody again
			assertThat(signup(fresh(), name(), owner.email()).status()).isEqualTo(201);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
				.until(() -> Mailbox.accountMails(stack, owner.email(), "address-used").size() == 1);
		}

		@Test
		void aTakenUserNameIsStillA409() {
			Api.User owner = newUser();
			Api.Response taken = signup(fresh(), owner.username().toUpperCase(), name() + "@example.test");
			assertThat(taken.status()).isEqualTo(409);
			assertThat(taken.json().get("type").asText()).isEqualTo("urn:cct:problem:username-taken");
		}

		@Test
		void isThrottledPerClientAddress() throws Exception {
			String busy = fresh();
			for (int i = 0; i < SIGNUPS_PER_IP; i++) {
				String name = name();
				assertThat(signup(busy, name, name + "@example.test").status()).isEqualTo(201);
			}
			String name = name();
			Api.Response refused = signup(busy, name, name + "@example.test");

			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.json().get("type").asText()).isEqualTo("urn:cct:problem:too-many-signups");
			assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3000L, 3600L);
			assertThat(count("select count(*) from users where username = ?", name)).isZero();
			assertThat(signup(fresh(), name, name + "@example.test").status()).isEqualTo(201);
		}

	}

	@Nested
	class Verification {

		@Test
		void theMailedLinkVerifiesTheAddressOnce() throws Exception {
			String name = name();
			String email = name + "@example.test";
			assertThat(signup(fresh(), name, email).status()).isEqualTo(201);
			assertThat(verified(name)).isFalse();

			URI link = Mailbox.awaitVerificationLink(stack, email);
			assertThat(link.toString()).startsWith("http://localhost:" + stack.webPort + "/api/auth/verify?token=");
			URI local = URI.create(stack.baseUrl() + link.getRawPath() + "?" + link.getRawQuery());
			Api.Response opened = api.send(HttpRequest.newBuilder(local).GET().build());

			assertThat(opened.status()).isEqualTo(200);
			assertThat(opened.json().get("emailVerified").asBoolean()).isTrue();
			assertThat(verified(name)).isTrue();
			// the token is kept only as its hash, and is used up
			assertThat(count("select count(*) from users where verification_hash is not null and username = ?", name))
				.isZero();
			Api.Response again = api.send(HttpRequest.newBuilder(local).GET().build());
			assertThat(again.status()).isEqualTo(400);
			assertThat(again.json().get("type").asText()).isEqualTo("urn:cct:problem:invalid-verification-link");
			assertThat(api.get("/api/auth/verify?token=" + "A".repeat(43), null).status()).isEqualTo(400);
		}

		@Test
		void anUnverifiedOwnerGetsNoTaskMailAndAVerifiedOneDoes() throws Exception {
			String name = name();
			String password = "pw-" + UUID.randomUUID();
			assertThat(signup(fresh(), name, name + "@example.test", password).status()).isEqualTo(201);
			String unverified = login(fresh(), name, password).json().get("token").asText();
			Api.User verifiedUser = newUser();

			String quiet = api.upload(unverified, Media.audio(files, "unverified.wav", 1), "mp3").json().get("id").asText();
			String loud = api.upload(verifiedUser.token(), Media.audio(files, "verified.wav", 1), "mp3").json().get("id").asText();
			assertThat(Tasks.awaitEnd(api, unverified, quiet, Duration.ofSeconds(60)).get("status").asText()).isEqualTo("processed");
			assertThat(Tasks.awaitEnd(api, verifiedUser.token(), loud, Duration.ofSeconds(60)).get("status").asText())
				.isEqualTo("processed");

			await("the verified owner's mail").atMost(Duration.ofSeconds(30)).until(() -> taskMails(verifiedUser.email()).size() == 1);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> taskMails(name + "@example.test").isEmpty());
			// the only mail the unverified address got is the link to verify it
			assertThat(Mailbox.accountMails(stack, name + "@example.test", "verification")).hasSize(1);
		}

	}

	/** Signed up and logged in from fresh addresses through the proxy, the address verified by its link. */
	private static Api.User newUser() {
		String name = name();
		String password = "pw-" + UUID.randomUUID();
		Api.Response signup = signup(fresh(), name, name + "@example.test", password);
		assertThat(signup.status()).as(signup.text()).isEqualTo(201);
		Mailbox.followVerificationLink(stack, name + "@example.test");
		Api.Response login = login(fresh(), name, password);
		assertThat(login.status()).as(login.text()).isEqualTo(200);
		return new Api.User(name, name + "@example.test", password, login.json().get("token").asText());
	}

	private static String fresh() {
		int n = ADDRESSES.incrementAndGet() + (int) (ProcessHandle.current().pid() % 1000) * 1000;
		return "198." + (18 + (n >> 16 & 1)) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
	}

	private static String name() {
		return "fa" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	private static Api.Response signup(String client, String username, String email) {
		return signup(client, username, email, "correct-horse-9");
	}

	private static Api.Response signup(String client, String username, String email, String password) {
		return viaProxy(client, "/api/auth/signup",
				Map.of("username", username, "email", email, "password1", password, "password2", password));
	}

	private static Api.Response login(String client, String username, String password) {
		return viaProxy(client, "/api/auth/login", Map.of("username", username, "password", password));
	}

	/** A request the trusted proxy (127.0.0.1) forwards for the client: {@code X-Forwarded-For: client}. */
	private static Api.Response viaProxy(String client, String path, Object body) {
		try {
			return api.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
				.header("Content-Type", "application/json")
				.header("X-Forwarded-For", client)
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
				.build());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A login from 127.0.0.2, a peer that is not a trusted proxy, claiming to forward for {@code forged}. */
	private static int directLogin(String forged, String username, String password) {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
			socket.connect(new InetSocketAddress("127.0.0.1", stack.webPort), 5000);
			socket.setSoTimeout(30_000);
			byte[] body = JSON.writeValueAsBytes(Map.of("username", username, "password", password));
			String head = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:" + stack.webPort
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nX-Forwarded-For: "
					+ forged + "\r\nConnection: close\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			// "HTTP/1.1 401 "
			return Integer.parseInt(response.substring(9, 12));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> fieldNames(Api.Response response) {
		List<String> names = new java.util.ArrayList<>();
		response.json().fieldNames().forEachRemaining(names::add);
		return names;
	}

	private static String idOf(Api.User user) throws Exception {
		try (Connection db = stack.database();
				PreparedStatement sql = db.prepareStatement("select id from users where username = ?")) {
			sql.setString(1, user.username());
			try (ResultSet rows = sql.executeQuery()) {
				rows.next();
				return rows.getString(1);
			}
		}
	}

	private static boolean verified(String username) throws Exception {
		try (Connection db = stack.database();
				PreparedStatement sql = db.prepareStatement("select email_verified from users where username = ?")) {
			sql.setString(1, username);
			try (ResultSet rows = sql.executeQuery()) {
				rows.next();
				return rows.getBoolean(1);
			}
		}
	}

	private static long count(String query, String argument) throws Exception {
		try (Connection db = stack.database(); PreparedStatement sql = db.prepareStatement(query)) {
			sql.setString(1, argument);
			try (ResultSet rows = sql.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	/** Mails to the address other than the account mails: the completion mails. */
	private static List<MimeMessage> taskMails(String address) {
		return Arrays.stream(stack.mail().getReceivedMessages()).filter(message -> {
			try {
				return message.getHeader("X-CCT-Task") != null && Arrays.stream(message.getRecipients(Message.RecipientType.TO))
					.anyMatch(to -> to.toString().equalsIgnoreCase(address));
			}
			catch (jakarta.mail.MessagingException ex) {
				return false;
			}
		}).toList();
	}

}
