package io.parley.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The managers' inbox page. This Parley does not serve the dialogue API yet, so the browser answers its
 * calls here in SPEC §7's shapes; the page's reading, writing and error display are what is tested.
 */
class InboxPageTest {
  static TestParley parley;
  static Chromium chromium;

  @BeforeAll
  static void start() {
    parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false"), Clock.systemUTC());
    chromium = Chromium.launch();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
    parley.close();
  }

  /** A stand-in for the dialogue API: one blocked dialogue, recording what the page asks of it. */
  static final class Dialogues {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String state = "blocked";

    JsonObject dialogue() {
      JsonArray messages = new JsonArray()
          .add(message("out", "system", "Hello client-1! Join our webinar?", "delivered", null))
          .add(message("in", "contact", "How much is it?", null, null))
          .add(message("out", "ai", "It is free.", "failed", "the receiver timed out"));
      return new JsonObject().put("id", "d1").put("contact", "client-1").put("state", state)
          .put("stateReason", "blocked".equals(state) ? "spend limit of $0.50 reached" : null)
          .put("unread", 2).put("spend", "0.5").put("lastMessageAt", "2026-03-10T12:00:00Z")
          .put("lastMessage", new JsonObject().put("author", "contact").put("text", "How much is it?"))
          .put("messages", messages);
    }

    static JsonObject message(String direction, String author, String text, String status, String reason) {
      return new JsonObject().put("direction", direction).put("author", author).put("text", text)
          .put("status", status).put("reason", reason).put("at", "2026-03-10T12:00:00Z");
    }

    void handle(Route route) {
      String method = route.request().method();
      String path = route.request().url().replaceFirst("^https?://[^/]+", "").replaceFirst("\\?.*$", "");
      String body = route.request().postData();
      calls.add(method + " " + path + (body == null ? "" : " " + body));
      if (method.equals("GET") && path.equals("/api/dialogues")) {
        JsonObject item = dialogue();
        item.remove("messages");
        json(route, 200, new JsonObject().put("items", new JsonArray().add(item)));
      } else if (method.equals("GET")) {
        json(route, 200, dialogue());
      } else if (path.endsWith("/takeover")) {
        state = "human";
        json(route, 200, dialogue());
      } else if (path.endsWith("/messages") && new JsonObject(body).getString("text").isBlank()) {
        json(route, 400, new JsonObject().put("error", new JsonObject().put("code", "invalid_value")
            .put("message", "text must not be empty").put("field", "text")));
      } else if (path.endsWith("/close")) {
        state = "closed";
        json(route, 200, dialogue());
      } else {
        json(route, 201, new JsonObject());
      }
    }

    static void json(Route route, int status, JsonObject body) {
      route.fulfill(new Route.FulfillOptions().setStatus(status).setContentType("application/json").setBody(body.encode()));
    }
  }

  @Test
  void aManagerTakesOverRepliesAndClosesWithAnOutcome() {
    Dialogues api = new Dialogues();
    try (BrowserSession s = BrowserSession.open(chromium.browser(), parley.http().base(), 1280, 900, parley.token("manager"))) {
      Page page = s.page();
      page.route("**/api/dialogues**", api::handle);
      page.navigate("/inbox");
      assertThat(page.locator("[data-dialogue=d1] .unread")).hasText("2");
      page.locator("[data-dialogue=d1]").click();
      assertThat(page.locator("#blocked")).containsText("Blocked: spend limit of $0.50 reached.");
      assertThat(page.locator("#messages li")).hasCount(3);
      assertThat(page.locator("#messages li").nth(0)).containsText("System");
      assertThat(page.locator("#messages li").nth(1)).containsText("Contact");
      assertThat(page.locator("#messages li").nth(2)).containsText("AI");
      assertThat(page.locator("#messages li").nth(2)).containsText("failed: the receiver timed out");

      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over")).click();
      assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hand back to the AI"))).isVisible();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      assertThat(page.locator("[data-field=text] .field-error")).hasText("text must not be empty");
      page.getByLabel("Reply").fill("It is free, and a manager will call you.");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      assertThat(page.getByLabel("Reply")).hasValue("");
      assertThat(page.locator("#chat-actions")).hasText("Hand back to the AI");
      s.screenshot("inbox");
      page.getByLabel("Outcome").fill("success");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close dialogue")).click();
      assertThat(page.locator("#chat-meta")).hasText("State: closed · spent $0.5");
      assertThat(page.locator("#reply")).isHidden();
      assertThat(page.locator("#close")).isHidden();
      assertThat(page.locator("#chat-actions")).hasText("");

      List<String> writes = api.calls.stream().filter(c -> c.startsWith("POST")).toList();
      assertEquals(List.of("POST /api/dialogues/d1/takeover",
          "POST /api/dialogues/d1/messages {\"text\":\"\"}",
          "POST /api/dialogues/d1/messages {\"text\":\"It is free, and a manager will call you.\"}",
          "POST /api/dialogues/d1/close {\"outcome\":\"success\"}"), writes);
      s.assertNoScriptErrors();
    }
  }
}
