package io.parley.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/tasks/{id}/stats}: dialogues opened per UTC hour, with states and outcomes. */
class TaskStatsTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:34:00Z");
  static TestParley parley;
  static Http http;
  static Fixtures fixtures;
  static String marketer;
  static String task;

  @BeforeAll
  static void start() {
    parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false"), Clock.fixed(NOW, ZoneOffset.UTC));
    http = parley.http();
    fixtures = new Fixtures(parley);
    marketer = parley.token("marketer");
    Http.Response created = http.post("/api/tasks", marketer, new JsonObject().put("name", "stats").put("type", "web")
        .put("format", "incoming_outgoing").put("channels", new JsonArray().add(fixtures.channel("web")))
        .put("managers", new JsonArray().add(fixtures.manager("Anna"))).put("ai", fixtures.ai("Bot"))
        .put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 10).put("pauseBetweenDialogues", 3)
        .put("openingMessage", new JsonObject().put("text", "Hi")));
    assertEquals(201, created.status(), created.toString());
    task = created.json().getString("id");
    dialogue(task, "2026-03-10T12:05:00Z", "open", null);
    dialogue(task, "2026-03-10T12:30:00Z", "closed", "success");
    dialogue(task, "2026-03-10T10:59:59Z", "closed", "not_interested");
    dialogue(task, "2026-03-09T12:00:00Z", "open", null); // before a 24-hour window
    dialogue("64b0000000000000000000ff", "2026-03-10T12:10:00Z", "open", null); // another task
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  static void dialogue(String taskId, String at, String state, String outcome) {
    Document d = new Document("_id", Ids.newId()).append("task", taskId).append("state", state)
        .append("createdAt", Date.from(Instant.parse(at)));
    if (outcome != null) d.append("outcome", outcome);
    fixtures.insert(Collections.DIALOGUES, d);
  }

  @Test
  void countsTheTasksDialoguesPerHourOfTheWindow() {
    Http.Response r = http.get("/api/tasks/" + task + "/stats", marketer);
    assertEquals(200, r.status(), r.toString());
    JsonObject stats = r.json();
    assertEquals("2026-03-09T13:00:00Z", stats.getString("from"));
    assertEquals("2026-03-10T13:00:00Z", stats.getString("to"));
    assertEquals(3L, stats.getLong("opened"));
    JsonArray hours = stats.getJsonArray("hours");
    assertEquals(24, hours.size());
    JsonObject noon = hours.getJsonObject(23);
    assertEquals("2026-03-10T12:00:00Z", noon.getString("hour"));
    assertEquals(2L, noon.getLong("opened"));
    assertEquals(new JsonObject().put("closed", 1L).put("open", 1L), noon.getJsonObject("states"));
    assertEquals(new JsonObject().put("success", 1L), noon.getJsonObject("outcomes"));
    JsonObject ten = hours.getJsonObject(21);
    assertEquals("2026-03-10T10:00:00Z", ten.getString("hour"));
    assertEquals(new JsonObject().put("not_interested", 1L), ten.getJsonObject("outcomes"));
    assertEquals(0L, hours.getJsonObject(0).getLong("opened"));
  }

  @Test
  void aLongerWindowReachesOlderDialogues() {
    JsonObject stats = http.get("/api/tasks/" + task + "/stats?hours=48", marketer).json();
    assertEquals(48, stats.getJsonArray("hours").size());
    assertEquals(4L, stats.getLong("opened"));
  }

  @Test
  void refusesBadWindowsUnknownTasksAndOtherRoles() {
    for (String bad : new String[] {"0", "337", "x", "-1"}) {
      Http.Response r = http.get("/api/tasks/" + task + "/stats?hours=" + bad, marketer);
      assertEquals(400, r.status(), bad);
      assertEquals("hours", r.error().getString("field"));
    }
    assertEquals(404, http.get("/api/tasks/64b000000000000000000000/stats", marketer).status());
    assertEquals(403, http.get("/api/tasks/" + task + "/stats", parley.token("manager")).status());
    assertEquals(401, http.get("/api/tasks/" + task + "/stats", null).status());
  }
}
