package io.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One browser context for one test: a page at Parley's address, signed in (or not), in a fixed time zone,
 * that records every script error so a test can assert the pages ran cleanly.
 */
final class BrowserSession implements AutoCloseable {
  /** Where screenshots go: {@code -Dparley.screenshots=docs/screenshots} refreshes the README's pictures. */
  static final Path SCREENSHOTS = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));

  private final BrowserContext context;
  private final Page page;
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private BrowserSession(BrowserContext context) {
    this.context = context;
    this.page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.onPageError(error -> errors.add("page error: " + error));
    page.onConsoleMessage(message -> {
      // A refused API call is logged by Chromium as a failed resource: expected where a test provokes one.
      if ("error".equals(message.type()) && !message.text().startsWith("Failed to load resource")) {
        errors.add("console: " + message.text());
      }
    });
  }

  static BrowserSession open(Browser browser, String baseUrl, int width, int height, String token) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setBaseURL(baseUrl)
        .setViewportSize(width, height).setTimezoneId("Europe/Moscow").setLocale("en-GB"));
    if (token != null) context.addInitScript("sessionStorage.setItem('parley.token', '" + token + "')");
    return new BrowserSession(context);
  }

  Page page() {
    return page;
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  /** Fails the test if any page script threw or logged an error. */
  void assertNoScriptErrors() {
    assertEquals(List.of(), errors);
  }

  @Override
  public void close() {
    context.close();
  }
}
