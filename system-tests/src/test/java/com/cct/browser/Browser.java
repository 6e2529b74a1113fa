package com.cct.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.util.FileSystemUtils;

/**
 * Debian's headless Chromium and its chromedriver, named by path so Selenium Manager never looks
 * for (or downloads) a browser. A fresh profile each time; downloads land in a known folder.
 */
final class Browser implements AutoCloseable {

	static final String CHROMIUM = "/usr/bin/chromium";

	static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	final ChromeDriver driver;

	final Path downloads;

	private final ChromeDriverService service;

	private final Path profile;

	private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, Path downloads) {
		this.service = service;
		this.driver = driver;
		this.profile = profile;
		this.downloads = downloads;
	}

	static Browser start(Path downloads) {
		System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			throw new IllegalStateException(
					"Chromium and chromedriver must be installed at /usr/bin (make test installs them: apt-get install chromium chromium-driver)");
		}
		try {
			Files.createDirectories(downloads);
			Path profile = Files.createTempDirectory("cct-chromium-");
			ChromeDriverService service = new ChromeDriverService.Builder()
				.usingDriverExecutable(new File(CHROMEDRIVER))
				.usingAnyFreePort()
				.build();
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--window-size=1280,900", "--lang=en-US", "--user-data-dir=" + profile);
			options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
					"download.prompt_for_download", false, "download.directory_upgrade", true));
			options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
			return new Browser(service, driver, profile, downloads);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What the page's scripts threw since the last call (uncaught errors, failed promises). */
	List<String> scriptErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::getMessage)
			.filter(message -> message.contains("Uncaught"))
			.toList();
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

}
