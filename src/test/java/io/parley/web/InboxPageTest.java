package io.parley.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.FakeReceiver;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The managers' inbox page against the real dialogue API: a manager opens a blocked dialogue, takes it over,
 * replies (the message reaches the web channel's receiver on 127.0.0.1) and closes it with an outcome.
 */
class InboxPageTest {
  static final String SECRET = StandardWebhooks.newSecret();
  static TestParley parley;
  static Chromium chromium;
  static FakeReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false"), Clock.systemUTC());
    var vertx = parley.parley().app().vertx();
    receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(SECRET, Clock.systemUTC()))
        .answer("/in", ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{\"id\":\"w-1\"}"));
    receiver.start(vertx).toCompletionStage().toCompletableFuture().get();
    chromium = Chromium.launch();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
    parley.close();
  }

  static String created(String path, JsonObject body) {
    Http.Response r = parley.http().post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  @Test
  void aManagerTakesOverRepliesAndClosesWithAnOutcome() {
    Operator op = operator("Maria", "Anna", "Kind");
    String managerToken = op.token();
    String manager = op.manager();
    String channel = created("/api/channels", new JsonObject().put("type", "web").put("name", "widget")
        .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in")).put("secret", SECRET)));
    String ai = created("/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Thanks!")));
    String task = created("/api/tasks", new JsonObject().put("name", "Webinar").put("type", "web")
        .put("format", "incoming_outgoing").put("channels", new JsonArray().add(channel))
        .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "0.50")
        .put("workingHours", new JsonObject().put("from", 0).put("to", 24)).put("dailyLimitPerChannel", 10)
        .put("pauseBetweenDialogues", 3).put("openingMessage", new JsonObject().put("text", "Hello")));

    Fixtures db = new Fixtures(parley);
    String d = Ids.newId();
    Date at = new Date();
    db.insert(Collections.DIALOGUES, new Document("_id", d).append("task", task).append("channel", channel)
        .append("contact", "client-1").append("fields", new Document()).append("manager", manager)
        .append("state", "blocked").append("stateReason", "spend cap reached").append("origin", "outreach")
        .append("spend", new Decimal128(new java.math.BigDecimal("0.50"))).append("unread", 1)
        .append("lastMessage", new Document("author", "contact").append("text", "How much is it?").append("at", at))
        .append("createdAt", at).append("lastMessageAt", at));
    db.insert(Collections.MESSAGES, message(d, "out", "system", "Hello client-1! Join our webinar?", "sent", null, at));
    db.insert(Collections.MESSAGES, message(d, "in", "contact", "How much is it?", "received", null, new Date(at.getTime() + 1)));
    db.insert(Collections.MESSAGES, message(d, "out", "ai", "It is free.", "failed", "the receiver timed out",
        new Date(at.getTime() + 2)));

    try (BrowserSession s = BrowserSession.open(chromium.browser(), parley.http().base(), 1280, 900, managerToken)) {
      Page page = s.page();
      page.navigate("/inbox");
      assertThat(page.locator("[data-dialogue='" + d + "'] .unread")).hasText("1");
      page.locator("[data-dialogue='" + d + "']").click();
      assertThat(page.locator("#blocked")).containsText("Blocked: spend cap reached.");
      assertThat(page.locator("#messages li")).hasCount(3);
      assertThat(page.locator("#messages li").nth(0)).containsText("System");
      assertThat(page.locator("#messages li").nth(1)).containsText("Contact");
      assertThat(page.locator("#messages li").nth(2)).containsText("AI");
      assertThat(page.locator("#messages li").nth(2)).containsText("failed: the receiver timed out");
      assertThat(page.locator("[data-dialogue='" + d + "'] .unread")).hasCount(0);
      assertEquals(0, db.find(Collections.DIALOGUES, d).getInteger("unread"), "opening the chat reads it");

      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over")).click();
      assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hand back to the AI"))).isVisible();
      assertEquals("human", db.find(Collections.DIALOGUES, d).getString("state"));
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      assertThat(page.locator("[data-field=text] .field-error")).not().isEmpty();
      page.getByLabel("Reply").fill("It is free, and a manager will call you.");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      assertThat(page.getByLabel("Reply")).hasValue("");
      Poll.until("the reply at the channel's receiver", Duration.ofSeconds(10), () -> receiver.deliveries().size(), n -> n == 1);
      assertEquals("It is free, and a manager will call you.", receiver.deliveries().get(0).body().getString("text"));
      assertEquals("client-1", receiver.deliveries().get(0).body().getString("to"));
      assertThat(page.locator("#messages li")).hasCount(4);
      assertThat(page.locator("#messages li").nth(3)).containsText("Manager");
      s.screenshot("inbox");

      page.getByLabel("Outcome").fill("success");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close dialogue")).click();
      assertThat(page.locator("#chat-meta")).containsText("State: closed · outcome: success");
      assertThat(page.locator("#reply")).isHidden();
      assertThat(page.locator("#close")).isHidden();
      Document closed = db.find(Collections.DIALOGUES, d);
      assertEquals("closed", closed.getString("state"));
      assertEquals("success", closed.getString("outcome"));
      s.assertNoScriptErrors();
    }
  }

  @Test
  void followUpTasksAreCompletedAndRescheduledFromTheInbox() {
    Operator op = operator("Petr", "Pavel", "Calm");
    String managerToken = op.token();
    String manager = op.manager();
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    lead(managerToken, manager, "Call Ivan about the offer", today.toString());
    lead(managerToken, manager, "Send Olga the price list", today.plusDays(5).toString());

    try (BrowserSession s = BrowserSession.open(chromium.browser(), parley.http().base(), 1280, 900, managerToken)) {
      Page page = s.page();
      page.navigate("/inbox");
      var items = page.locator("#followups li");
      assertThat(items).hasCount(1);
      assertThat(items.first()).containsText("Call Ivan about the offer");
      page.getByLabel("New date for Call Ivan about the offer").fill(today.plusDays(2).toString());
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reschedule")).click();
      assertThat(page.locator("#no-followups")).isVisible();

      page.getByLabel("View", new Page.GetByLabelOptions().setExact(true)).selectOption("future");
      assertThat(items).hasCount(2);
      assertThat(items.first()).containsText("Call Ivan about the offer");
      assertThat(items.first()).containsText(today.plusDays(2).toString());
      page.getByLabel("Outcome of Send Olga the price list").selectOption("not_interested");
      items.nth(1).getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Complete")).click();
      assertThat(items).hasCount(1);

      page.getByLabel("View", new Page.GetByLabelOptions().setExact(true)).selectOption("archive");
      assertThat(items).hasCount(1);
      assertThat(items.first()).containsText("Send Olga the price list");
      assertThat(items.first()).containsText("not_interested");
      s.assertNoScriptErrors();
    }
  }

  /** A person's manager-role token, and a virtual manager they operate. */
  private record Operator(String token, String manager) {}

  private static Operator operator(String person, String managerName, String persona) {
    Http.Response token = parley.http().post("/api/tokens", TestParley.ADMIN,
        new JsonObject().put("name", person).put("role", "manager"));
    String manager = created("/api/managers", new JsonObject().put("name", managerName).put("persona", persona)
        .put("operators", new JsonArray().add(token.json().getString("id"))));
    return new Operator(token.json().getString("token"), manager);
  }

  private static void lead(String token, String manager, String text, String date) {
    Http.Response r = parley.http().post("/api/manager-tasks", token, new JsonObject().put("type", "lead")
        .put("text", text).put("assigned_to", manager).put("date", date));
    assertEquals(201, r.status(), r.toString());
  }

  private static Document message(String dialogue, String direction, String author, String text, String status,
      String reason, Date at) {
    return new Document("_id", Ids.newId()).append("dialogue", dialogue).append("direction", direction)
        .append("author", author).append("text", text).append("status", status).append("reason", reason)
        .append("cost", new Decimal128(0L)).append("createdAt", at);
  }
}
