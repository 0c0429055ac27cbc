package io.parley.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.WaitUntilState;
import io.parley.support.FakeReceiver;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A marketer's campaign in real headless Chromium against a real Parley whose dispatcher sends to a fake
 * web-channel receiver: sign in, create a task through the form (a bad field first), upload an audience,
 * start it and watch progress move live, pause, stop, delete.
 */
class TaskPagesTest {
  static TestParley parley;
  static Chromium chromium;
  static FakeReceiver receiver;
  static String marketer;
  static String channel;
  static String manager;
  static String ai;

  @BeforeAll
  static void start() throws Exception {
    parley = TestParley.start(TestParley.tempDir(),
        Map.of("dispatch.leaseSeconds", "3", "dispatch.refreshSeconds", "1"), Clock.systemUTC());
    chromium = Chromium.launch();
    String secret = StandardWebhooks.newSecret();
    var vertx = parley.parley().app().vertx();
    receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(secret, Clock.systemUTC()))
        .answer("/in", ctx -> ctx.response().end("{}"));
    receiver.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    marketer = parley.token("marketer");
    channel = created("/api/channels", new JsonObject().put("type", "web").put("name", "Site chat")
        .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in")).put("secret", secret)));
    manager = created("/api/managers", new JsonObject().put("name", "Maria").put("persona", "Friendly and brief"));
    ai = created("/api/ai-profiles", new JsonObject().put("name", "Webinar bot")
        .put("scripted", new JsonObject().put("fallback", "Thanks!")));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
    parley.close();
  }

  static String created(String path, JsonObject body) {
    Http.Response r = parley.http().post(path, marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  static String base() {
    return parley.http().base();
  }

  @Test
  void signInWithTheKeyboardAfterABadToken() {
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 800, null)) {
      Page page = s.page();
      page.navigate("/tasks");
      assertThat(page).hasURL(Pattern.compile("/\\?next=%2Ftasks$"));
      Locator signIn = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"));
      assertThat(signIn).isEnabled(); // the page is ready: until then Enter sends nothing
      s.screenshot("sign-in");
      page.keyboard().type("pk_not_a_real_token");
      page.keyboard().press("Enter");
      Locator error = page.locator("[data-field=token] .field-error");
      assertThat(error).hasText("This token is not valid. Check it and try again.");
      assertThat(page.getByLabel("Token")).hasAttribute("aria-invalid", "true");
      page.getByLabel("Token").fill(parley.token("manager"));
      page.keyboard().press("Enter");
      assertThat(page).hasURL(Pattern.compile("/inbox$"));
      assertThat(page.locator("#no-dialogues")).isVisible(); // a new manager's inbox, empty but working
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
      assertThat(page).hasURL(Pattern.compile("/$"));
      assertThat(signIn).isEnabled();
      page.getByLabel("Token").fill(marketer);
      page.keyboard().press("Enter");
      assertThat(page).hasURL(Pattern.compile("/tasks$"));
      assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Outreach tasks"))).isVisible();
      s.assertNoScriptErrors();
    }
  }

  /**
   * A token entered before the sign-in page's script has run is not sent as a plain form: the browser would
   * put it in the address (and its history) as {@code /?token=...}. The page's script is held back here
   * until after Enter was pressed.
   */
  @Test
  void aTokenEnteredBeforeThePageIsReadyNeverReachesTheAddress() {
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 800, null)) {
      Page page = s.page();
      List<String> addresses = addresses(page);
      AtomicReference<Route> script = holdFirst(page, "**/assets/signin.js");
      page.navigate("/", new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
      Locator token = page.getByLabel("Token");
      assertThat(token).isVisible();
      token.fill(marketer);
      token.press("Enter");
      page.waitForTimeout(500); // a plain form would be sent at once
      assertTrue(addresses.stream().noneMatch(a -> a.contains("token=")), "the token reached the address: " + addresses);

      script.get().resume();
      assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isEnabled();
      token.press("Enter");
      assertThat(page).hasURL(Pattern.compile("/tasks$"));
      assertTrue(addresses.stream().noneMatch(a -> a.contains("token=")), "the token reached the address: " + addresses);
      s.assertNoScriptErrors();
    }
  }

  /**
   * The task form saves nothing until it is ready. Before its script runs, the browser would send the form
   * itself as a plain request, with the name and the audience (contacts' numbers) in the address. On the edit
   * page, before the task is loaded, the script would send the form as a new task (refused, for want of the
   * channels not yet listed) instead of a change to this one.
   */
  @Test
  void theTaskFormSavesNothingBeforeItIsReady() {
    String taskId = created("/api/tasks", new JsonObject().put("name", "Autumn sale").put("type", "web")
        .put("format", "incoming_outgoing").put("channels", new JsonArray().add(channel))
        .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1")
        .put("workingHours", new JsonObject().put("from", 9).put("to", 18)).put("dailyLimitPerChannel", 100)
        .put("pauseBetweenDialogues", 30).put("openingMessage", new JsonObject().put("text", "Hello!")));
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 900, marketer)) {
      Page page = s.page();
      List<String> addresses = addresses(page);
      AtomicReference<Route> script = holdFirst(page, "**/assets/task-form.js");
      page.navigate("/tasks/new", new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
      Locator name = page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true));
      assertThat(name).isVisible();
      page.getByLabel("Audience: one contact per line").fill("+15550001111");
      name.fill("Held back");
      name.press("Enter");
      page.waitForTimeout(500); // a plain form would be sent at once
      assertTrue(addresses.stream().noneMatch(a -> a.contains("?")), "the form reached the address: " + addresses);
      script.get().resume();
      assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task"))).isEnabled();

      AtomicReference<Route> task = holdFirst(page, "**/api/tasks/" + taskId);
      page.navigate("/tasks/" + taskId + "/edit");
      Locator save = page.locator("#save");
      assertThat(save).isDisabled();
      name.fill("Winter sale");
      name.press("Enter");
      page.waitForTimeout(500);
      assertEquals(List.of("Autumn sale"), taskNames(), "nothing was saved before the task was loaded");
      task.get().resume();
      assertThat(name).hasValue("Autumn sale");
      assertThat(save).isEnabled();
      name.fill("Winter sale");
      name.press("Enter");
      assertThat(page.locator("#result-title")).hasText("Changes saved");
      assertEquals(List.of("Winter sale"), taskNames(), "the task itself was changed");

      AtomicReference<Route> detail = holdFirst(page, "**/assets/task.js");
      page.navigate("/tasks/" + taskId, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
      Locator upload = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload"));
      assertThat(upload).isDisabled(); // the audience would go out as a plain form, into the address
      detail.get().resume();
      assertThat(upload).isEnabled();
      page.getByLabel("One contact per line").fill("+15550002222");
      upload.click();
      assertThat(page.locator("#upload-report")).containsText("1 accepted, 0 duplicates, 0 rejected");
      assertTrue(addresses.stream().noneMatch(a -> a.contains("?")), "a form reached the address: " + addresses);
      s.assertNoScriptErrors();
    } finally {
      assertEquals(200, parley.http().post("/api/tasks/" + taskId + "/stop", marketer, null).status());
      assertEquals(204, parley.http().delete("/api/tasks/" + taskId, marketer).status());
    }
  }

  /** Every address the page's main frame goes to, from now on. */
  private static List<String> addresses(Page page) {
    List<String> addresses = new ArrayList<>();
    page.onFrameNavigated(frame -> {
      if (frame == page.mainFrame()) addresses.add(frame.url());
    });
    return addresses;
  }

  /** Holds back the first request matching {@code glob} until the test resumes the route; later ones go on. */
  private static AtomicReference<Route> holdFirst(Page page, String glob) {
    AtomicReference<Route> held = new AtomicReference<>();
    page.route(glob, route -> {
      if (!held.compareAndSet(null, route)) route.resume();
    });
    return held;
  }

  private static List<String> taskNames() {
    return parley.http().get("/api/tasks", marketer).items().stream()
        .map(t -> ((JsonObject) t).getString("name")).toList();
  }

  @Test
  void campaignFromFormToDeletion() {
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 900, marketer)) {
      Page page = s.page();
      page.navigate("/tasks/new");
      page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Spring webinar");
      page.getByLabel("Site chat").check();
      page.getByLabel("Maria").check();
      page.getByLabel("AI profile").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Webinar bot (scripted)"));
      page.getByLabel("Spend limit per dialogue, USD").fill("2.50");
      assertThat(page.locator("#local-hours")).hasText("6–15 UTC = 9–18 in Europe/Moscow");
      page.getByLabel("from").fill("22");
      page.getByLabel("to", new Page.GetByLabelOptions().setExact(true)).fill("6");
      assertThat(page.locator("#local-hours")).hasText("22–6 UTC = 1–9 in Europe/Moscow");
      page.getByLabel("from").fill("0");
      page.getByLabel("to", new Page.GetByLabelOptions().setExact(true)).fill("24");
      assertThat(page.locator("#local-hours")).hasText("0–24 UTC: the whole day");
      page.getByLabel("Pause between dialogues, seconds").fill("2");
      page.getByLabel("Opening message").fill("Hello {{name}}! Join our spring webinar?");
      page.getByLabel("Audience: one contact per line").fill("client-1\nclient-2\nclient-2\n" + "x".repeat(300) + "\n");
      assertThat(page.locator("#estimate")).hasText("The pause between dialogues must be at least 3 seconds.");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task")).click();

      Locator pauseError = page.locator("[data-field=pauseBetweenDialogues] .field-error");
      assertThat(pauseError).hasText("pauseBetweenDialogues must be at least 3 seconds");
      assertThat(page.getByLabel("Pause between dialogues, seconds")).isFocused();
      assertEquals(0, parley.http().get("/api/tasks", marketer).items().size(), "a refused form creates nothing");
      s.screenshot("task-form");

      page.getByLabel("Pause between dialogues, seconds").fill("3");
      assertThat(page.locator("#estimate")).hasText("Estimate: 4 contacts at up to 100 new dialogues a day "
          + "(1 channel × 100) take about 1 day.");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task")).click();
      assertThat(pauseError).isHidden();
      Locator report = page.locator("#result .import-report");
      assertThat(report).containsText("2 accepted, 1 duplicates, 1 rejected");
      assertThat(report.locator(".rejected li")).containsText("Line 4:");

      page.locator("#open-task").click();
      assertThat(page.locator("#task-status")).hasText("Awaiting");
      StringBuilder csv = new StringBuilder("id,name\n");
      for (int i = 3; i <= 10; i++) csv.append("client-").append(i).append(",Guest ").append(i).append('\n');
      page.getByLabel("or a CSV / text file").setInputFiles(new FilePayload("more.csv", "text/csv",
          csv.toString().getBytes(StandardCharsets.UTF_8)));
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
      assertThat(page.locator("#upload-report")).containsText("8 accepted, 0 duplicates, 0 rejected");
      assertThat(counter(page, "pending")).hasText("10");
      assertThat(page.locator("#audience tbody tr")).hasCount(10);

      page.evaluate("window.__sameDocument = true");
      page.locator("#task-actions [data-action=start]").click();
      assertThat(page.locator("#task-status")).hasText("In progress");
      LocatorAssertions.HasTextOptions slow = new LocatorAssertions.HasTextOptions().setTimeout(30_000);
      assertThat(counter(page, "sent")).hasText(Pattern.compile("^[1-9]"), slow);
      assertThat(counter(page, "sent")).hasText(Pattern.compile("^([2-9]|10)$"), slow);
      assertEquals(true, page.evaluate("window.__sameDocument"), "progress moved without a reload");
      assertTrue(receiver.deliveries().size() >= 2, "the fake channel received the messages");
      page.locator("#audience-state").selectOption("sent");
      assertThat(page.locator("#audience tbody tr").first()).containsText("client-1");
      assertThat(page.locator("#chart svg rect").first()).isVisible();
      assertThat(page.locator("#facts")).containsText("Site chat");
      s.screenshot("task-detail");

      page.navigate("/tasks");
      Locator row = page.locator("tr[data-task]").filter(new Locator.FilterOptions().setHasText("Spring webinar"));
      assertThat(row.locator("[data-label=Status]")).hasText("In progress");
      assertThat(row.locator("[data-label=AI]")).hasText("Webinar bot");
      assertThat(row.locator("[data-label=Managers]")).hasText("Maria");
      String before = row.locator(".progress-text").textContent();
      assertThat(row.locator(".progress-text")).not().hasText(before, slow);
      page.getByLabel("Status").selectOption("completed");
      assertThat(page.locator("#empty")).isVisible();
      page.getByLabel("Status").selectOption("in_progress");
      assertThat(row).isVisible();
      s.screenshot("tasks");

      row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause Spring webinar")).click();
      assertThat(page.locator("#empty")).isVisible(); // paused: no longer in progress
      page.getByLabel("Status").selectOption("");
      assertThat(row.locator("[data-label=Status]")).hasText("Paused");
      assertThat(row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Resume Spring webinar"))).isVisible();
      assertThat(row.locator("[data-action=delete]")).hasCount(0);

      row.locator("a").click();
      page.locator("#task-actions [data-action=stop]").click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop task")).click();
      assertThat(page.locator("#task-status")).hasText("Stopped");
      assertThat(page.locator("#task-actions button")).hasText(new String[] {"Delete", "Close its dialogues"});
      String taskId = page.locator("#task-id").textContent();
      long open = parley.http().get("/api/dialogues?task=" + taskId, TestParley.ADMIN).items().stream()
          .filter(d -> !"closed".equals(((io.vertx.core.json.JsonObject) d).getString("state"))).count();
      assertTrue(open >= 2, open + " dialogues stay open after the stop");
      page.locator("#task-actions [data-action=close-dialogues]").click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close dialogues")).click();
      assertThat(page.locator("#notice")).hasText("Closed " + open + " dialogues.");
      assertTrue(parley.http().get("/api/dialogues?task=" + taskId, TestParley.ADMIN).items().stream()
          .allMatch(d -> "closed".equals(((io.vertx.core.json.JsonObject) d).getString("state"))));
      page.locator("#task-actions [data-action=close-dialogues]").click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close dialogues")).click();
      assertThat(page.locator("#notice")).hasText("No dialogue was left open.");
      page.locator("#task-actions [data-action=delete]").click();
      page.keyboard().press("Escape"); // the confirmation is cancelled: nothing happens
      assertThat(page.locator("dialog")).hasCount(0);
      assertThat(page.locator("#task-status")).hasText("Stopped");
      assertThat(page.locator("#task-actions [data-action]")).hasCount(2); // a finished task: delete, close its dialogues
      page.locator("#task-actions [data-action=delete]").click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete task")).click();
      assertThat(page).hasURL(Pattern.compile("/tasks$"));
      assertThat(page.locator("#empty")).isVisible();
      assertEquals(0, parley.http().get("/api/tasks", marketer).items().size());
      s.assertNoScriptErrors();
    }
  }

  private static Locator counter(Page page, String name) {
    return page.locator("[data-counter='" + name + "'] b");
  }
}
