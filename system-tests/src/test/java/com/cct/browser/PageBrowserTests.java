package com.cct.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.cct.support.Api;
import com.cct.support.Media;
import com.cct.support.TestStack;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The web page at {@code /}, driven in headless Chromium against the running web and worker jars:
 * sign up, log in, upload with live progress, download, readable errors, narrow screens.
 */
class PageBrowserTests {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	/** The README shows it; the module runs with system-tests/ as its working directory. */
	static final Path README_SCREENSHOT = Path.of("..", "docs", "screenshot.png");

	static TestStack stack;

	static Browser browser;

	static ChromeDriver driver;

	@TempDir
	static Path files;

	@BeforeAll
	static void start() {
		stack = TestStack.shared();
		browser = Browser.start(Path.of("target", "browser-downloads").toAbsolutePath());
		driver = browser.driver;
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void freshPage() {
		driver.manage().window().setSize(new Dimension(1280, 900));
		open("/");
		driver.executeScript("sessionStorage.clear()");
		open("/");
		waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
	}

	@AfterEach
	void noScriptErrors() {
		assertThat(browser.scriptErrors()).as("errors thrown by the page's scripts").isEmpty();
	}

	@Test
	void convertsAudioToMp3WithLiveProgressAndDownloadsTheResult() throws IOException {
		signUpAndLogIn();
		Path wav = Media.audio(files, "tone.wav", 3);

		chooseFile(wav);
		List<String> targets = targetOptions();
		assertThat(targets).contains("mp3", "ogg", "flac", "zip").doesNotContain("png", "mp4");
		new Select(byId("format-select")).selectByValue("mp3");
		assertThat(byId("quality-select").isEnabled()).isTrue();
		byId("upload-submit").click();

		WebElement task = waitFor(Duration.ofSeconds(15))
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#task-list .task")));
		String id = task.getDomAttribute("id").substring("task-".length());
		assertThat(task.findElement(By.className("task-name")).getText()).isEqualTo("tone.wav");
		// the list follows the task by its event stream: no reload, no click
		waitFor(Duration.ofSeconds(90)).until(ExpectedConditions
			.attributeToBe(By.id("task-" + id), "data-status", "processed"));
		waitFor(Duration.ofSeconds(5)).until(
				ExpectedConditions.textToBePresentInElementLocated(By.id("announcer"), "tone.wav to MP3: done"));
		WebElement done = byId("task-" + id);
		assertThat(done.findElement(By.cssSelector(".bar")).getDomAttribute("aria-valuenow")).isEqualTo("100");
		assertThat(done.findElement(By.className("badge")).getText()).isEqualTo("Done");
		assertThat(done.findElement(By.className("task-meta")).getText().replace('\u00a0', ' ')).contains("WAV → MP3");

		Path downloaded = browser.downloads.resolve("tone.mp3");
		Files.deleteIfExists(downloaded);
		done.findElement(By.className("download-result")).click();
		await("tone.mp3 downloaded").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> Files.isRegularFile(downloaded) && Files.size(downloaded) > 0
					&& !Files.exists(browser.downloads.resolve("tone.mp3.crdownload")));
		JsonNode probe = Media.probe(downloaded);
		assertThat(probe.get("streams").get(0).get("codec_name").asText()).isEqualTo("mp3");
		assertThat(probe.get("format").get("duration").asDouble()).isBetween(2.5, 3.5);

		// the form is ready again, and the same file chosen again is a new task (a new Idempotency-Key)
		chooseFile(wav);
		new Select(byId("format-select")).selectByValue("ogg");
		new Select(byId("quality-select")).selectByValue("low");
		byId("upload-submit").click();
		waitFor(Duration.ofSeconds(90)).until(driver -> driver
			.findElements(By.cssSelector("#task-list .task[data-status='processed']")).size() == 2);
		WebElement second = driver.findElement(By.cssSelector("#task-list .task"));
		assertThat(second.getDomAttribute("id")).isNotEqualTo("task-" + id);
		assertThat(second.findElement(By.className("task-meta")).getText().replace('\u00a0', ' ')).contains("WAV → OGG", "Low quality");
		// what the account uses of each limit, refreshed as tasks end
		waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.textMatches(By.id("usage"),
				java.util.regex.Pattern.compile("^Your usage: 0 of \\d+ unfinished conversions · [\\d.]+ [KM]B of [\\d.]+ GB stored · "
						+ "2 of \\d+ uploads this hour$")));

		driver.executeScript("window.scrollTo(0, 0)");
		saveScreenshot("page.png");
		Files.copy(SCREENSHOTS.resolve("page.png"), README_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void aLargeFileGoesByTusAndResumesAfterTheNetworkDrops() throws IOException {
		Path wav = Media.audio(files, "long tone.wav", 160);
		byte[] bytes = Files.readAllBytes(wav);
		assertThat(bytes.length).as("above the page's tus threshold of 8 MB").isGreaterThan(9 << 20);
		try (CuttingProxy proxy = new CuttingProxy(stack.webPort, 6L << 20, Duration.ofSeconds(2))) {
			driver.get("http://127.0.0.1:" + proxy.port() + "/");
			driver.executeScript("sessionStorage.clear()");
			driver.get("http://127.0.0.1:" + proxy.port() + "/");
			waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
			signUpAndLogIn();

			chooseFile(wav);
			new Select(byId("format-select")).selectByValue("mp3");
			byId("upload-submit").click();

			WebElement task = waitFor(Duration.ofSeconds(120))
				.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#task-list .task")));
			assertThat(proxy.hasCut()).as("the network dropped mid-upload").isTrue();
			assertThat(byId("upload-message").getText()).contains("long tone.wav uploaded");
			String id = task.getDomAttribute("id").substring("task-".length());
			waitFor(Duration.ofSeconds(120)).until(ExpectedConditions
				.attributeToBe(By.id("task-" + id), "data-status", "processed"));
			String token = (String) driver.executeScript("return sessionStorage.getItem('cct.token')");
			Api api = stack.api();
			JsonNode stored = api.task(token, id);
			Api.Response original = api.get("/api/files/" + stored.get("originalFile").asText(), token);
			assertThat(original.status()).isEqualTo(200);
			assertThat(original.bytes()).as("the original, byte for byte").isEqualTo(bytes);
		}
	}

	@Test
	void showsTheProblemWhenTheContentIsNotWhatItsNameClaims() {
		signUpAndLogIn();
		Path notes = Media.write(files.resolve("notes.mp3"),
				"Shopping list: milk, eggs, bread.\n".repeat(20).getBytes(StandardCharsets.UTF_8));

		chooseFile(notes);
		new Select(byId("format-select")).selectByValue("mp3");
		byId("upload-submit").click();

		WebElement message = waitFor(Duration.ofSeconds(15))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#upload-message.message-error")));
		assertThat(message.getDomAttribute("role")).isEqualTo("alert");
		assertThat(message.getText()).contains("Content is not what it claims")
			.contains("not a video, audio or image file");
		assertThat(message.getText()).doesNotContain("{", "urn:");
		assertThat(driver.findElements(By.cssSelector("#task-list .task"))).isEmpty();
	}

	@Test
	void offersOnlyArchivesForAFileOfUnknownType() {
		signUpAndLogIn();
		chooseFile(Media.write(files.resolve("report.xyz"), "quarterly numbers".getBytes(StandardCharsets.UTF_8)));
		assertThat(targetOptions()).containsExactly("zip", "7z", "tar.gz", "tar.bz2", "tar.xz");
		new Select(byId("format-select")).selectByValue("zip");
		assertThat(byId("quality-select").isEnabled()).as("quality applies to media only").isFalse();
	}

	@Test
	void showsSignupProblemsNextToTheFields() {
		String name = "p" + UUID.randomUUID().toString().substring(0, 8);
		fill("signup-username", name);
		fill("signup-email", name + "@example.test");
		fill("signup-password1", "short");
		fill("signup-password2", "short");
		byId("signup-submit").click();

		WebElement message = waitFor(Duration.ofSeconds(10))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#signup-message.message-error")));
		assertThat(message.getText()).contains("Invalid request");
		assertThat(byId("signup-password1-error").getText()).contains("at least 8 characters");
		assertThat(byId("signup-password1").getDomAttribute("aria-invalid")).isEqualTo("true");

		byId("login-username").sendKeys("nobody-" + name);
		byId("login-password").sendKeys("wrong-password-1", Keys.ENTER);
		WebElement loginMessage = waitFor(Duration.ofSeconds(10))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login-message.message-error")));
		assertThat(loginMessage.getText()).contains("Login failed").contains("Unknown user or wrong password");
		saveScreenshot("sign-in.png");
	}

	@Test
	void fitsANarrowScreenAndHighlightsTheTaskAMailLinksTo() {
		Api api = stack.api();
		Api.User user = api.newUser();
		Path longName = Media.audio(files, "a-very-long-file-name-without-any-spaces-from-a-recorder-export-2024.wav", 1);
		Api.Response created = api.upload(user.token(), longName, "mp3");
		assertThat(created.status()).isEqualTo(201);
		String id = created.json().get("id").asText();

		driver.manage().window().setSize(new Dimension(360, 740));
		open("/#task-" + id);
		waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
		assertFitsWidth(360);

		fill("login-username", user.username());
		byId("login-password").sendKeys(user.password(), Keys.ENTER);
		WebElement task = waitFor(Duration.ofSeconds(15))
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#task-" + id + ".is-highlighted")));
		assertThat(driver.switchTo().activeElement()).isEqualTo(task);
		waitFor(Duration.ofSeconds(60))
			.until(ExpectedConditions.attributeToBe(By.id("task-" + id), "data-status", "processed"));
		assertFitsWidth(360);
		driver.executeScript("arguments[0].scrollIntoView({block: 'end'})", task);
		saveScreenshot("narrow.png");
	}

	// ---------------------------------------------------------------- steps

	/** Signs a fresh user up and logs in through the forms, as a person would. */
	@Test
	void theApiKeysPanelCreatesShowsOnceListsAndRevokesAKey() {
		signUpAndLogIn();
		driver.findElement(By.cssSelector("#keys-panel summary")).click();
		waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("keys-empty")));
		fill("key-name", "nightly script");
		byId("key-submit").click();

		WebElement secret = waitFor(Duration.ofSeconds(10))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#key-message .key-secret")));
		String key = secret.getText();
		assertThat(key).matches("cct_[0-9A-Za-z]{43}");
		WebElement listed = waitFor(Duration.ofSeconds(10))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#key-list .key")));
		assertThat(listed.getText()).contains("nightly script", key.substring(0, 12) + "…", "never used")
			.doesNotContain(key);
		assertThat(byId("keys-empty").isDisplayed()).isFalse();
		Api api = stack.api();
		assertThat(api.get("/api/tasks", key).status()).as("the key shown works").isEqualTo(200);

		listed.findElement(By.tagName("button")).click();
		waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("keys-empty")));
		assertThat(driver.findElements(By.cssSelector("#key-list .key"))).isEmpty();
		assertThat(byId("key-message").getText()).contains("revoked");
		assertThat(api.get("/api/tasks", key).status()).as("revoked").isEqualTo(401);
	}

	private String signUpAndLogIn() {
		String name = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		String password = "pw-" + UUID.randomUUID();
		fill("signup-username", name);
		fill("signup-email", name + "@example.test");
		fill("signup-password1", password);
		fill("signup-password2", password);
		byId("signup-submit").click();
		waitFor(Duration.ofSeconds(15)).until(
				ExpectedConditions.textToBePresentInElementLocated(By.id("signup-message"), "created"));
		assertThat(byId("login-username").getDomProperty("value")).isEqualTo(name);

		byId("login-password").sendKeys(password, Keys.ENTER);
		waitFor(Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-form")));
		assertThat(byId("session-name").getText()).isEqualTo(name);
		assertThat(driver.executeScript("return sessionStorage.getItem('cct.token')")).isNotNull();
		return name;
	}

	private void chooseFile(Path file) {
		byId("file-input").sendKeys(file.toAbsolutePath().toString());
		waitFor(Duration.ofSeconds(10)).until(driver -> byId("format-select").isEnabled());
	}

	private List<String> targetOptions() {
		return new Select(byId("format-select")).getOptions()
			.stream()
			.map(option -> option.getDomProperty("value"))
			.filter(value -> !value.isEmpty())
			.toList();
	}

	private void assertFitsWidth(int width) {
		Object scrollWidth = driver.executeScript("return document.documentElement.scrollWidth");
		assertThat(((Number) scrollWidth).intValue()).as("horizontal scroll on a %d px screen", width)
			.isLessThanOrEqualTo(width);
	}

	/** Into target/screenshots, for people (and the README) to look at. */
	private void saveScreenshot(String name) {
		driver.executeScript("document.activeElement && document.activeElement.blur()");
		waitFor(Duration.ofSeconds(5)).until(driver -> Boolean.TRUE
			.equals(((ChromeDriver) driver).executeScript("return document.getAnimations().length === 0")));
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void open(String path) {
		driver.get(stack.baseUrl() + path);
	}

	private static void fill(String id, String text) {
		WebElement input = byId(id);
		input.clear();
		input.sendKeys(text);
	}

	private static WebElement byId(String id) {
		return driver.findElement(By.id(id));
	}

	private static WebDriverWait waitFor(Duration timeout) {
		WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
		return wait;
	}

}
