package io.parley.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.mongodb.client.model.Updates;
import io.parley.store.Collections;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The settings pages in real Chromium, and every page at a phone's width. */
class SettingsPagesTest {
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

  static String base() {
    return parley.http().base();
  }

  @Test
  void channelErrorsSecretAndAuthFailedStateFixedByEditing() {
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 900, TestParley.ADMIN)) {
      Page page = s.page();
      page.navigate("/settings");
      Locator create = page.locator("form[data-form=create-channels]");
      create.getByLabel("Name").fill("Support endpoint");
      create.getByLabel("Callback URL").fill("not a url");
      create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      Locator urlError = create.locator("[data-field='settings.callbackUrl'] .field-error");
      assertThat(urlError).containsText("settings.callbackUrl");
      assertThat(create.getByLabel("Callback URL")).isFocused();
      create.getByLabel("Callback URL").fill("http://127.0.0.1:9/hook");
      create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(page.locator("[data-secret]")).containsText("whsec_");
      Locator row = page.locator("table[data-table=channels] tr").filter(new Locator.FilterOptions().setHasText("Support endpoint"));
      assertThat(row.locator("[data-state]")).hasText("active");

      String id = parley.http().get("/api/channels", TestParley.ADMIN).items().getJsonObject(0).getString("id");
      new Fixtures(parley).update(Collections.CHANNELS, id, Updates.combine(Updates.set("state", "auth_failed"),
          Updates.set("stateReason", "the receiver refused the signature (401)")));
      page.reload();
      assertThat(row.locator("[data-state]")).hasText("auth_failed");
      assertThat(row.locator("[data-state-reason]")).hasText("the receiver refused the signature (401)");
      s.screenshot("settings-channels");
      row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit Support endpoint")).click();
      Locator edit = page.locator("form[data-form=edit-channels]");
      assertThat(edit.getByLabel("Type")).isDisabled();
      edit.getByLabel("Signing secret (whsec_…)").fill("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
      edit.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
      assertThat(row.locator("[data-state]")).hasText("active");
      assertEquals("active", parley.http().get("/api/channels/" + id, TestParley.ADMIN).json().getString("state"));
      s.assertNoScriptErrors();
    }
  }

  @Test
  void aiProfilesManagersIntegrationsAndTokens() {
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 900, TestParley.ADMIN)) {
      Page page = s.page();
      page.navigate("/settings#ai");
      Locator ai = page.locator("form[data-form=create-ai]");
      ai.getByLabel("Name").fill("Webinar bot");
      ai.getByLabel("Rules, one per line").fill("yes|sure => Great! => success\n([ => broken");
      ai.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(ai.locator("[data-field='scripted.rules'] .field-error"))
          .containsText("scripted.rules[1].pattern is not a valid regular expression");
      ai.getByLabel("Rules, one per line").fill("yes|sure => Great! => success");
      ai.getByLabel("Fallback reply").fill("Would you like to join?");
      ai.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(page.locator("table[data-table=ai]")).containsText("Webinar bot");
      ai.getByLabel("Name").fill("Azure bot");
      ai.getByLabel("Provider").selectOption("openai");
      ai.getByLabel("Base URL").fill("https://acme.openai.azure.com/openai/deployments/gpt-4o-prod");
      ai.getByLabel("Key header").selectOption("api-key");
      ai.getByLabel("API version (Azure)").fill("2024-10-21");
      ai.getByLabel("Model").fill("gpt-4o");
      assertThat(ai.getByLabel("Outcome tool")).isChecked();
      ai.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(page.locator("table[data-table=ai]")).containsText("gpt-4o at https://acme.openai.azure.com/openai/deployments/gpt-4o-prod");
      JsonObject azure = parley.http().get("/api/ai-profiles", TestParley.ADMIN).items().stream().map(o -> (JsonObject) o)
          .filter(p -> "Azure bot".equals(p.getString("name"))).findFirst().orElseThrow().getJsonObject("openai");
      assertEquals("api-key", azure.getString("apiKeyHeader"));
      assertEquals("2024-10-21", azure.getString("apiVersion"));
      assertEquals(true, azure.getBoolean("outcomeTool"));

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Tokens")).click();
      Locator token = page.locator("form[data-form=create-tokens]");
      token.getByLabel("Name").fill("Olga");
      token.getByLabel("Role").selectOption("manager");
      token.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(page.locator("[data-secret]")).containsText("pk_");
      assertThat(page.locator("table[data-table=tokens]")).containsText("Olga");
      String olga = parley.http().get("/api/tokens", TestParley.ADMIN).items().stream().map(o -> (JsonObject) o)
          .filter(t -> "Olga".equals(t.getString("name"))).findFirst().orElseThrow().getString("id");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Virtual managers")).click();
      Locator manager = page.locator("form[data-form=create-managers]");
      assertThat(manager.getByLabel("Time zone")).hasValue("Europe/Moscow");
      manager.getByLabel("Name").fill("Maria");
      manager.getByLabel("Operators (manager token IDs, comma-separated)").fill("nobody");
      manager.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(manager.locator("[data-field=operators] .field-error")).containsText("no token has id nobody");
      manager.getByLabel("Operators (manager token IDs, comma-separated)").fill(olga);
      manager.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(page.locator("table[data-table=managers]")).containsText(olga);

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Integrations")).click();
      Locator integration = page.locator("form[data-form=create-integrations]");
      integration.getByLabel("Name").fill("CRM");
      integration.getByLabel("URL").fill("http://127.0.0.1:9/crm");
      integration.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
      assertThat(page.locator("[data-secret]")).containsText("whsec_");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deliveries CRM")).click();
      assertThat(page.getByText("Nothing has been sent to this integration yet.")).isVisible();
      s.screenshot("settings-integrations");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Tokens")).click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke Olga")).click();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke").setExact(true)).click();
      assertThat(page.locator("table[data-table=tokens]")).not().containsText("Olga");
      s.assertNoScriptErrors();
    }
  }

  @Test
  void aMarketerIsToldTokensNeedAnAdmin() {
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 1280, 900, parley.token("marketer"))) {
      s.page().navigate("/settings#tokens");
      assertThat(s.page().getByText("Only an admin can see tokens.")).isVisible();
      assertThat(s.page().locator("form[data-form=create-tokens]")).isHidden();
      s.assertNoScriptErrors();
    }
  }

  /** At 390 px nothing overflows sideways, tables become cards, and every control stays reachable. */
  @Test
  void everyPageFitsAPhone() {
    String task = taskViaApi();
    try (BrowserSession s = BrowserSession.open(chromium.browser(), base(), 390, 844, TestParley.ADMIN)) {
      Page page = s.page();
      for (String path : List.of("/tasks", "/tasks/new", "/tasks/" + task, "/tasks/" + task + "/edit", "/settings", "/inbox")) {
        page.navigate(path);
        page.waitForLoadState();
        assertThat(page.locator("main h1")).isVisible();
        page.waitForTimeout(300); // let the page's first API answers render
        Object overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(((Number) overflow).intValue() <= 0, () -> path + " overflows by " + overflow + " px: " + page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth)"
            + ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(-5).join(', ')"));
      }
      page.navigate("/tasks");
      Locator row = page.locator("tr[data-task]").first();
      assertThat(row.locator("[data-label=Status]")).hasText("Awaiting");
      assertEquals("block", row.evaluate("tr => getComputedStyle(tr).display"), "rows are stacked as cards");
      s.screenshot("tasks-phone");
      page.navigate("/tasks/" + task + "/edit");
      assertThat(page.getByLabel("Type")).isDisabled();
      assertThat(page.getByLabel("Format")).isDisabled();
      assertThat(page.locator("#channels input").first()).isDisabled();
      assertThat(page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true))).hasValue("Phone-width check");
      page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Phone-width check, edited");
      page.getByLabel("Add contacts: one per line").fill("client-3");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save changes")).click();
      assertThat(page.locator("#result")).containsText("1 accepted, 0 duplicates, 0 rejected");
      assertThat(page.locator("#result")).not().containsText("null");
      JsonObject edited = parley.http().get("/api/tasks/" + task, TestParley.ADMIN).json();
      assertEquals("Phone-width check, edited", edited.getString("name"));
      assertEquals(3L, edited.getLong("remaining"));
      s.assertNoScriptErrors();
    }
  }

  private static String taskViaApi() {
    Http http = parley.http();
    String channel = created("/api/channels", new JsonObject().put("type", "web").put("name", "Phone channel")
        .put("settings", new JsonObject().put("callbackUrl", "http://127.0.0.1:9/phone")));
    String manager = created("/api/managers", new JsonObject().put("name", "Anna"));
    String ai = created("/api/ai-profiles", new JsonObject().put("name", "Phone bot")
        .put("scripted", new JsonObject().put("fallback", "Thanks")));
    Http.Response r = http.post("/api/tasks", TestParley.ADMIN, new JsonObject().put("name", "Phone-width check")
        .put("type", "web").put("format", "incoming_outgoing").put("channels", new JsonArray().add(channel))
        .put("managers", new JsonArray().add(manager)).put("ai", ai)
        .put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 6).put("to", 15))
        .put("dailyLimitPerChannel", 50).put("pauseBetweenDialogues", 30)
        .put("openingMessage", new JsonObject().put("text", "Hi {{name}}"))
        .put("audience", new JsonArray().add("client-1").add("client-2")));
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  private static String created(String path, JsonObject body) {
    Http.Response r = parley.http().post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }
}
