package io.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Http;
import io.parley.support.TestParley;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pages' addresses, their headers, and that the API's own answers are untouched by them. */
class WebPagesRoutesTest {
  static TestParley parley;
  static Http http;

  @BeforeAll
  static void start() {
    parley = TestParley.start();
    http = parley.http();
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  @Test
  void cleanAddressesServeTheirPagesWithoutAToken() {
    assertPage("/", "<title>Sign in · Parley</title>");
    assertPage("/tasks", "src=\"/assets/tasks.js\"");
    assertPage("/tasks/new", "src=\"/assets/task-form.js\"");
    assertPage("/tasks/64b000000000000000000000", "src=\"/assets/task.js\"");
    assertPage("/tasks/64b000000000000000000000/edit", "src=\"/assets/task-form.js\"");
    assertPage("/settings", "src=\"/assets/settings.js\"");
    assertPage("/inbox", "src=\"/assets/inbox.js\"");
  }

  @Test
  void pagesCarryAStrictContentSecurityPolicy() {
    Http.Response r = http.get("/tasks", null);
    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), csp);
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
  }

  @Test
  void assetsAreServedWithTheirTypes() {
    Http.Response js = http.get("/assets/api.js", null);
    assertEquals(200, js.status());
    assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript")
        || js.headers().firstValue("Content-Type").orElse("").startsWith("application/javascript"), js.headers().toString());
    assertTrue(http.get("/assets/app.css", null).headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
  }

  @Test
  void unknownAddressesAndTheApiKeepTheJsonErrorShape() {
    Http.Response missing = http.get("/assets/nothing.js", null);
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.error().getString("code"));
    Http.Response api = http.get("/api/tasks", null);
    assertEquals(401, api.status());
    assertEquals("unauthorized", api.error().getString("code"));
    assertTrue(api.headers().firstValue("Content-Security-Policy").isEmpty());
    assertEquals(404, http.get("/api/nothing", TestParley.ADMIN).status());
    Http.Response post = http.send("/tasks", null, "POST", "application/json", "{}");
    assertTrue(post.status() == 404 || post.status() == 405, post.toString());
    assertTrue(post.error().containsKey("code"), "pages answer other methods with the JSON error shape");
  }

  @Test
  void pathTraversalIsRefused() {
    Http.Response r = http.get("/assets/../../logging.properties", null);
    assertTrue(r.status() == 404 || r.status() == 400, r.toString());
    assertTrue(!r.body().contains("handlers"), "the class path outside webroot is never served");
  }

  private static void assertPage(String path, String marker) {
    Http.Response r = http.get(path, null);
    assertEquals(200, r.status(), path);
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
    assertTrue(r.body().contains(marker), path + " should contain " + marker);
  }
}
