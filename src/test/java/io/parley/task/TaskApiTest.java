package io.parley.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskApiTest {
  static TestParley parley;
  static Http http;
  static Fixtures db;
  static String marketer;
  static String web;
  static String web2;
  static String telegram;
  static String avito;
  static String whatsapp;
  static String anna;
  static String boris;
  static String ai;
  static String crm;

  @BeforeAll
  static void start() {
    parley = TestParley.start();
    http = parley.http();
    db = new Fixtures(parley);
    marketer = parley.token("marketer");
    web = db.channel("web");
    web2 = db.channel("web");
    telegram = db.channel("telegram");
    avito = db.channel("avito");
    whatsapp = db.channel("whatsapp");
    anna = db.manager("Anna");
    boris = db.manager("Boris");
    ai = db.ai("Sales bot");
    crm = db.integration("CRM");
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  static JsonObject webTask() {
    return new JsonObject()
        .put("name", "Spring webinar")
        .put("type", "web")
        .put("format", "incoming_outgoing")
        .put("channels", new JsonArray().add(web).add(web2))
        .put("managers", new JsonArray().add(anna).add(boris))
        .put("ai", ai)
        .put("integration", crm)
        .put("spendLimitPerDialogue", "2.50")
        .put("workingHours", new JsonObject().put("from", 6).put("to", 15))
        .put("dailyLimitPerChannel", 100)
        .put("pauseBetweenDialogues", 5)
        .put("openingMessage", new JsonObject().put("text", "Hello {{name}}, a question about {{company}}?"));
  }

  static String create(JsonObject body) {
    Http.Response r = http.post("/api/tasks", marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  static long taskCount() {
    return db.count(Collections.TASKS, new Document());
  }

  /** Sends {@code body} changed by {@code change} and expects a 4xx naming {@code field}, with no task created. */
  static void refused(int status, String field, Consumer<JsonObject> change) {
    JsonObject body = webTask();
    change.accept(body);
    long before = taskCount();
    Http.Response r = http.post("/api/tasks", marketer, body);
    assertEquals(status, r.status(), "for " + field + ": " + r);
    assertEquals(field, r.error().getString("field"), r.toString());
    assertNotNull(r.error().getString("message"));
    assertEquals(before, taskCount(), "a refused create stores nothing");
  }

  @Test
  void createsTaskAwaitingWithEveryField() {
    Http.Response r = http.post("/api/tasks", marketer, webTask());
    assertEquals(201, r.status(), r.toString());
    JsonObject task = r.json();
    assertEquals("awaiting", task.getString("status"));
    assertEquals(new JsonArray().add("start").add("stop"), task.getJsonArray("actions"));
    assertEquals("2.50", task.getString("spendLimitPerDialogue"));
    assertEquals(new JsonObject().put("from", 6).put("to", 15), task.getJsonObject("workingHours"));
    assertEquals("round_robin", task.getString("managerAssignment"));
    assertEquals(0L, task.getLong("remaining"));
    assertEquals(0L, task.getJsonObject("progress").getLong("sent"));
    assertEquals("0", task.getJsonObject("progress").getString("spend"));
    assertEquals(withoutReport(task.copy()), http.get("/api/tasks/" + task.getString("id"), marketer).json());
  }

  private static JsonObject withoutReport(JsonObject task) {
    task.remove("audienceReport");
    return task;
  }

  @Test
  void moneyIsExact() {
    JsonObject body = webTask().put("spendLimitPerDialogue", new java.math.BigDecimal("0.1"));
    String id = create(body);
    assertEquals("0.1", http.get("/api/tasks/" + id, marketer).json().getString("spendLimitPerDialogue"));
    String raw = "{\"name\":\"n\",\"type\":\"web\",\"format\":\"incoming_outgoing\",\"channels\":[\"" + web
        + "\"],\"managers\":[\"" + anna + "\"],\"ai\":\"" + ai + "\",\"spendLimitPerDialogue\":0.300000000000000004,"
        + "\"workingHours\":{\"from\":0,\"to\":24},\"dailyLimitPerChannel\":1,\"pauseBetweenDialogues\":3,"
        + "\"openingMessage\":{\"text\":\"hi\"}}";
    Http.Response tooPrecise = http.send("/api/tasks", marketer, "POST", "application/json", raw);
    assertEquals(400, tooPrecise.status(), "18 decimals are refused, not rounded: " + tooPrecise);
    assertEquals("spendLimitPerDialogue", tooPrecise.error().getString("field"));
    String id2 = create(webTask().put("spendLimitPerDialogue", new java.math.BigDecimal("1234.567891")));
    assertEquals("1234.567891", http.get("/api/tasks/" + id2, marketer).json().getString("spendLimitPerDialogue"));
  }

  @Test
  void everyFieldIsValidated() {
    refused(400, "name", b -> b.remove("name"));
    refused(400, "name", b -> b.put("name", "   "));
    refused(400, "name", b -> b.put("name", "x".repeat(201)));
    refused(400, "name", b -> b.put("name", 42));
    refused(400, "type", b -> b.put("type", "fax"));
    refused(400, "format", b -> b.put("format", "outgoing"));
    refused(400, "channels", b -> b.put("channels", new JsonArray()));
    refused(400, "channels", b -> b.put("channels", web));
    refused(400, "channels[1]", b -> b.put("channels", new JsonArray().add(web).add(web)));
    refused(400, "channels[1]", b -> b.put("channels", new JsonArray().add(web).add("64b000000000000000000000")));
    refused(400, "channels[0]", b -> b.put("channels", new JsonArray().add(telegram)));
    refused(400, "managers", b -> b.remove("managers"));
    refused(400, "managers[1]", b -> b.put("managers", new JsonArray().add(anna).add("nobody")));
    refused(400, "managerAssignment", b -> b.put("managerAssignment", "random"));
    refused(400, "ai", b -> b.put("ai", "64b000000000000000000000"));
    refused(400, "integration", b -> b.put("integration", "64b000000000000000000000"));
    refused(400, "spendLimitPerDialogue", b -> b.remove("spendLimitPerDialogue"));
    refused(400, "spendLimitPerDialogue", b -> b.put("spendLimitPerDialogue", "-1"));
    refused(400, "spendLimitPerDialogue", b -> b.put("spendLimitPerDialogue", 0));
    refused(400, "spendLimitPerDialogue", b -> b.put("spendLimitPerDialogue", "two dollars"));
    refused(400, "spendLimitPerDialogue", b -> b.put("spendLimitPerDialogue", "1.0000001"));
    refused(400, "spendLimitPerDialogue", b -> b.put("spendLimitPerDialogue", true));
    refused(400, "workingHours", b -> b.remove("workingHours"));
    refused(400, "workingHours", b -> b.put("workingHours", new JsonObject().put("from", 9).put("to", 9)));
    refused(400, "workingHours.from", b -> b.put("workingHours", new JsonObject().put("from", 24).put("to", 6)));
    refused(400, "workingHours.to", b -> b.put("workingHours", new JsonObject().put("from", 6).put("to", 25)));
    refused(400, "workingHours.to", b -> b.put("workingHours", new JsonObject().put("from", 6)));
    refused(400, "workingHours.from", b -> b.put("workingHours", new JsonObject().put("from", 6.5).put("to", 9)));
    refused(400, "workingHours.tz", b -> b.put("workingHours", new JsonObject().put("from", 6).put("to", 9).put("tz", "MSK")));
    refused(400, "dailyLimitPerChannel", b -> b.put("dailyLimitPerChannel", 0));
    refused(400, "dailyLimitPerChannel", b -> b.put("dailyLimitPerChannel", "100"));
    refused(400, "pauseBetweenDialogues", b -> b.put("pauseBetweenDialogues", 2));
    refused(400, "pauseBetweenDialogues", b -> b.put("pauseBetweenDialogues", 2.5));
    refused(400, "pauseBetweenDialogues", b -> b.remove("pauseBetweenDialogues"));
    refused(400, "openingMessage", b -> b.remove("openingMessage"));
    refused(400, "openingMessage.text", b -> b.put("openingMessage", new JsonObject().put("text", "Hi {{first name}}")));
    refused(400, "openingMessage.text", b -> b.put("openingMessage", new JsonObject().put("text", "")));
    refused(400, "openingMessage.template", b -> b.put("openingMessage",
        new JsonObject().put("template", new JsonObject().put("name", "hello"))));
    refused(400, "colour", b -> b.put("colour", "red"));
    refused(400, "audience", b -> b.put("audience", 5));
    refused(400, "audience[1]", b -> b.put("audience", new JsonArray().add("a").add(7)));
  }

  @Test
  void channelsMustFitTypeAndFormat() {
    JsonObject avitoOutgoing = webTask().put("type", "avito").put("channels", new JsonArray().add(avito));
    long before = taskCount();
    Http.Response r = http.post("/api/tasks", marketer, avitoOutgoing);
    assertEquals(400, r.status());
    assertEquals("channels[0]", r.error().getString("field"));
    assertTrue(r.error().getString("message").contains("cannot open dialogues"), r.toString());
    assertEquals(before, taskCount());
    JsonObject avitoIncoming = new JsonObject().put("name", "Avito inbox").put("type", "avito")
        .put("format", "incoming").put("channels", new JsonArray().add(avito))
        .put("managers", new JsonArray().add(anna)).put("ai", ai).put("spendLimitPerDialogue", 1);
    String id = create(avitoIncoming);
    JsonObject task = http.get("/api/tasks/" + id, marketer).json();
    assertEquals("incoming", task.getString("format"));
    assertEquals(null, task.getValue("workingHours"));
    Http.Response withAudience = http.post("/api/tasks", marketer, avitoIncoming.copy().put("audience", new JsonArray().add("x")));
    assertEquals(400, withAudience.status());
    assertEquals("audience", withAudience.error().getString("field"));
  }

  @Test
  void whatsappOpensWithATemplate() {
    JsonObject wa = webTask().put("type", "whatsapp").put("channels", new JsonArray().add(whatsapp));
    Http.Response text = http.post("/api/tasks", marketer, wa);
    assertEquals(400, text.status());
    assertEquals("openingMessage.text", text.error().getString("field"));
    wa.put("openingMessage", new JsonObject().put("template", new JsonObject().put("name", "spring_offer")
        .put("language", "en_US").put("parameters", new JsonArray().add("{{name}}"))));
    String id = create(wa);
    JsonObject template = http.get("/api/tasks/" + id, marketer).json()
        .getJsonObject("openingMessage").getJsonObject("template");
    assertEquals("spring_offer", template.getString("name"));
    assertEquals(new JsonArray().add("{{name}}"), template.getJsonArray("parameters"));
    wa.getJsonObject("openingMessage").getJsonObject("template").put("name", "Spring Offer!");
    Http.Response badName = http.post("/api/tasks", marketer, wa);
    assertEquals("openingMessage.template.name", badName.error().getString("field"));
  }

  @Test
  void workingHoursMayWrapPastMidnightOrCoverTheDay() {
    String night = create(webTask().put("workingHours", new JsonObject().put("from", 22).put("to", 6)));
    assertEquals(22, http.get("/api/tasks/" + night, marketer).json().getJsonObject("workingHours").getInteger("from"));
    create(webTask().put("workingHours", new JsonObject().put("from", 0).put("to", 24)));
  }

  @Test
  void typeFormatAndChannelsAreImmutable() {
    String id = create(webTask());
    Document before = db.find(Collections.TASKS, id);
    for (var change : new JsonObject[] {
        new JsonObject().put("type", "telegram"),
        new JsonObject().put("format", "incoming"),
        new JsonObject().put("channels", new JsonArray().add(web)),
        new JsonObject().put("name", "renamed").put("channels", new JsonArray().add(web).add(web2))}) {
      Http.Response r = http.patch("/api/tasks/" + id, marketer, change);
      assertEquals(409, r.status(), r.toString());
      assertEquals("immutable", r.error().getString("code"));
      assertTrue(change.containsKey(r.error().getString("field")));
    }
    assertEquals(before, db.find(Collections.TASKS, id), "refused edits change nothing");
  }

  @Test
  void editValidatesLikeCreate() {
    String id = create(webTask());
    Http.Response ok = http.patch("/api/tasks/" + id, marketer, new JsonObject().put("name", "Renamed")
        .put("pauseBetweenDialogues", 30).put("workingHours", new JsonObject().put("from", 22).put("to", 6))
        .put("integration", null));
    assertEquals(200, ok.status(), ok.toString());
    assertEquals("Renamed", ok.json().getString("name"));
    assertEquals(30, ok.json().getInteger("pauseBetweenDialogues"));
    assertEquals(null, ok.json().getValue("integration"));
    Document before = db.find(Collections.TASKS, id);
    Http.Response bad = http.patch("/api/tasks/" + id, marketer, new JsonObject().put("pauseBetweenDialogues", 1));
    assertEquals(400, bad.status());
    assertEquals("pauseBetweenDialogues", bad.error().getString("field"));
    Http.Response badRef = http.patch("/api/tasks/" + id, marketer, new JsonObject().put("managers", new JsonArray().add("x")));
    assertEquals("managers[0]", badRef.error().getString("field"));
    Http.Response malformed = http.send("/api/tasks/" + id, marketer, "PATCH", "application/json", "{name:");
    assertEquals(400, malformed.status());
    assertEquals(before, db.find(Collections.TASKS, id));
    assertEquals(404, http.patch("/api/tasks/64b000000000000000000000", marketer, new JsonObject().put("name", "x")).status());
  }

  @Test
  void lifecycleAllowsOnlyLegalTransitions() {
    String[][] table = {
        // status, action, expected status or "409"
        {"awaiting", "start", "in_progress"}, {"awaiting", "pause", "409"}, {"awaiting", "resume", "409"},
        {"awaiting", "stop", "stopped"},
        {"in_progress", "start", "409"}, {"in_progress", "pause", "paused"}, {"in_progress", "resume", "409"},
        {"in_progress", "stop", "stopped"},
        {"paused", "start", "in_progress"}, {"paused", "pause", "409"}, {"paused", "resume", "in_progress"},
        {"paused", "stop", "stopped"},
        {"stopped", "start", "409"}, {"stopped", "pause", "409"}, {"stopped", "resume", "409"}, {"stopped", "stop", "409"},
        {"completed", "start", "409"}, {"completed", "pause", "409"}, {"completed", "resume", "409"},
        {"completed", "stop", "409"}};
    for (String[] row : table) {
      String id = taskIn(row[0]);
      Http.Response r = http.post("/api/tasks/" + id + "/" + row[1], marketer, null);
      String status = http.get("/api/tasks/" + id, marketer).json().getString("status");
      if (row[2].equals("409")) {
        assertEquals(409, r.status(), row[0] + " + " + row[1] + ": " + r);
        assertEquals("illegal_transition", r.error().getString("code"));
        assertEquals(row[0], status, "an illegal transition changes nothing");
      } else {
        assertEquals(200, r.status(), row[0] + " + " + row[1] + ": " + r);
        assertEquals(row[2], r.json().getString("status"));
        assertEquals(row[2], status);
      }
    }
  }

  /** A task brought into {@code status} through the API (completed, which only the engine reaches, directly). */
  static String taskIn(String status) {
    String id = create(webTask());
    switch (status) {
      case "in_progress" -> http.post("/api/tasks/" + id + "/start", marketer, null);
      case "paused" -> {
        http.post("/api/tasks/" + id + "/start", marketer, null);
        http.post("/api/tasks/" + id + "/pause", marketer, null);
      }
      case "stopped" -> http.post("/api/tasks/" + id + "/stop", marketer, null);
      case "completed" -> db.update(Collections.TASKS, id, new Document("$set", new Document("status", "completed")));
      default -> { }
    }
    assertEquals(status, http.get("/api/tasks/" + id, marketer).json().getString("status"));
    return id;
  }

  @Test
  void onlyFinishedTasksCanBeDeleted() {
    for (String status : new String[] {"awaiting", "in_progress", "paused"}) {
      String id = taskIn(status);
      Http.Response r = http.delete("/api/tasks/" + id, marketer);
      assertEquals(409, r.status(), status + ": " + r);
      assertEquals(status, http.get("/api/tasks/" + id, marketer).json().getString("status"));
    }
    for (String status : new String[] {"stopped", "completed"}) {
      String id = taskIn(status);
      db.insert(Collections.AUDIENCE, new Document("_id", id + ":x").append("task", id).append("address", "x"));
      db.insert(Collections.AUDIENCE_PAGES, new Document("_id", id + ":0").append("task", id).append("page", 0L)
          .append("addresses", java.util.List.of("x")));
      db.insert(Collections.TASK_PROGRESS, new Document("_id", id).append("audienceSeq", 1000L));
      assertEquals(204, http.delete("/api/tasks/" + id, marketer).status());
      assertEquals(404, http.get("/api/tasks/" + id, marketer).status());
      assertEquals(0, db.count(Collections.AUDIENCE, new Document("task", id)), "its audience goes with it");
      assertEquals(0, db.count(Collections.AUDIENCE_PAGES, new Document("task", id)), "and its audience's pages");
      assertEquals(0, db.count(Collections.TASK_PROGRESS, new Document("_id", id)), "and its progress");
      assertEquals(404, http.delete("/api/tasks/" + id, marketer).status());
    }
  }

  @Test
  void listGivesTableRowsAndFilters() {
    String id = create(webTask().put("name", "Row check"));
    http.post("/api/tasks/" + id + "/start", marketer, null);
    db.insert(Collections.TASK_PROGRESS, new Document("_id", id).append("counts", new Document("pending", 7L).append("sending", 1L)));
    JsonArray rows = http.get("/api/tasks?status=in_progress&type=web", marketer).items();
    JsonObject row = rows.stream().map(JsonObject.class::cast).filter(o -> o.getString("id").equals(id)).findFirst().orElseThrow();
    assertEquals("Row check", row.getString("name"));
    assertEquals("web", row.getString("type"));
    assertEquals("Sales bot", row.getJsonObject("ai").getString("name"));
    assertEquals("Anna", row.getJsonArray("managers").getJsonObject(0).getString("name"));
    assertEquals("Boris", row.getJsonArray("managers").getJsonObject(1).getString("name"));
    assertEquals(8L, row.getLong("remaining"));
    assertEquals("in_progress", row.getString("status"));
    assertEquals(new JsonArray().add("pause").add("stop"), row.getJsonArray("actions"));
    assertTrue(rows.stream().allMatch(o -> ((JsonObject) o).getString("status").equals("in_progress")));
    assertTrue(http.get("/api/tasks?type=telegram", marketer).items().isEmpty());
    Http.Response bad = http.get("/api/tasks?status=running", marketer);
    assertEquals(400, bad.status());
    assertEquals("status", bad.error().getString("field"));
    assertEquals("page", http.get("/api/tasks?page=2", marketer).error().getString("field"));
  }

  @Test
  void rolesAreEnforced() {
    String manager = parley.token("manager");
    String integration = parley.token("integration");
    assertEquals(403, http.get("/api/tasks", manager).status());
    assertEquals(403, http.post("/api/tasks", integration, webTask()).status());
    assertEquals(401, http.get("/api/tasks", null).status());
    assertEquals(200, http.get("/api/tasks", TestParley.ADMIN).status());
    long before = taskCount();
    assertEquals(403, http.post("/api/tasks", manager, webTask()).status());
    assertEquals(before, taskCount());
  }

  @Test
  void unknownIdsAre404() {
    assertEquals(404, http.get("/api/tasks/64b000000000000000000000", marketer).status());
    assertEquals(404, http.get("/api/tasks/not-an-id", marketer).status());
    assertEquals(404, http.post("/api/tasks/64b000000000000000000000/start", marketer, null).status());
    assertEquals(404, http.delete("/api/tasks/64b000000000000000000000", marketer).status());
  }
}
