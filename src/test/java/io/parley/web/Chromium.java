package io.parley.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's headless chromium driven by Playwright: one per test class (starting a browser costs seconds),
 * a fresh context per test. Playwright never downloads a browser here (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
 */
final class Chromium implements AutoCloseable {
  static final Path EXECUTABLE = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
  private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
      "--disable-background-networking", "--disable-component-update", "--no-first-run");

  private final Playwright playwright;
  private final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  static Chromium launch() {
    if (!java.nio.file.Files.isExecutable(EXECUTABLE)) {
      throw new IllegalStateException("the browser tests need Debian's chromium at " + EXECUTABLE
          + ": apt-get install -y chromium (.ci/run does), or point -Dparley.chromium at another build");
    }
    Playwright playwright = Playwright.create();
    try {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(ARGS));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  Browser browser() {
    return browser;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
