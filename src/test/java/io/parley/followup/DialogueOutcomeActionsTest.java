package io.parley.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** A dialogue a manager closes runs the actions its task configures for the outcome, once. */
class DialogueOutcomeActionsTest {
  @Test
  void closingADialogueRunsTheOutcomesActionsOnceEvenIfTheOutcomeIsSeenAgain() {
    try (TestParley parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false"),
        java.time.Clock.systemUTC())) {
      Http http = parley.http();
      Fixtures db = new Fixtures(parley);
      String manager = created(http, "/api/managers", new JsonObject().put("name", "Anna").put("persona", "Kind"));
      String channel = created(http, "/api/channels", new JsonObject().put("type", "web").put("name", "w")
          .put("settings", new JsonObject().put("callbackUrl", "http://127.0.0.1:9/in")
              .put("secret", io.parley.webhook.StandardWebhooks.newSecret())));
      String ai = created(http, "/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
          .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Thanks!")));
      String next = created(http, "/api/tasks", task("next campaign", channel, manager, ai, null));
      JsonObject outcomes = new JsonObject().put("success", new JsonArray()
          .add(new JsonObject().put("action", "tag").put("tag", "hot"))
          .add(new JsonObject().put("action", "add_to_task").put("task", next))
          .add(new JsonObject().put("action", "follow_up").put("inDays", 2).put("text", "Call Ann back"))
          .add(new JsonObject().put("action", "call_integration")));
      String crm = created(http, "/api/integrations", new JsonObject().put("name", "CRM").put("url", "http://127.0.0.1:9/crm")
          .put("events", new JsonArray().add("task.completed").add("dialogue.succeeded")));
      String source = created(http, "/api/tasks", task("first campaign", channel, manager, ai, outcomes).put("integration", crm));

      String dialogue = Ids.newId();
      Date now = new Date();
      db.insert(Collections.DIALOGUES, new Document("_id", dialogue).append("task", source).append("channel", channel)
          .append("contact", "ann").append("fields", new Document()).append("manager", manager).append("state", "open")
          .append("origin", "outreach").append("spend", new Decimal128(0L)).append("createdAt", now)
          .append("lastMessageAt", now));
      Http.Response closed = http.post("/api/dialogues/" + dialogue + "/close", TestParley.ADMIN,
          new JsonObject().put("outcome", "success"));
      assertEquals(200, closed.status(), closed.toString());
      assertEquals(1, db.count(Collections.DELIVERIES, new Document("integration", crm).append("event", "dialogue.succeeded")),
          "the subscribed callback is in the outbox before the close is answered");

      Document lead = new Document("dialogue", dialogue).append("type", "lead");
      Poll.until("the follow-up task", Duration.ofSeconds(20), () -> db.count(Collections.MANAGER_TASKS, lead), n -> n == 1L);
      Poll.until("the contact in the next campaign", Duration.ofSeconds(20),
          () -> db.find(Collections.AUDIENCE, next + ":ann"), entry -> entry != null);
      assertEquals(List.of("hot"), db.find(Collections.CONTACTS, "ann").getList("tags", String.class));
      Document followUp = Fixtures.all(parley.parley().app().store().collection(Collections.MANAGER_TASKS).find(lead)).get(0);
      assertEquals(manager, followUp.getString("assignedTo"), "the follow-up goes to the dialogue's manager");
      Document asked = new Document("integration", crm).append("event", "dialogue.closed");
      Poll.until("the callback the outcome asked for", Duration.ofSeconds(20), () -> db.count(Collections.DELIVERIES, asked),
          n -> n == 1L);

      // The same outcome handled again (a redelivered event, a second process): nothing runs twice.
      var app = parley.parley().app();
      ManagerTaskStore store = new ManagerTaskStore(app.store());
      OutcomeRunner runner = new OutcomeRunner(app, store, new Assignees(app.store(), store), new ManagerTaskEvents(app.vertx()));
      JsonArray again = await(app.vertx().getOrCreateContext()
          .<JsonArray>executeBlocking(() -> null).compose(v -> runner.runForDialogue(dialogue, "success", "manager")));
      assertEquals(4, again.size(), again.encode());
      again.forEach(a -> assertEquals("done", ((JsonObject) a).getString("state"), again.encode()));
      assertEquals(1, db.count(Collections.MANAGER_TASKS, lead));
      assertEquals(1, db.count(Collections.AUDIENCE, new Document("task", next)));
      assertEquals(1, db.count(Collections.DELIVERIES, asked), "the integration is called once");
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject task(String name, String channel, String manager, String ai, JsonObject outcomes) {
    JsonObject t = new JsonObject().put("name", name).put("type", "web").put("format", "incoming_outgoing")
        .put("channels", new JsonArray().add(channel)).put("managers", new JsonArray().add(manager)).put("ai", ai)
        .put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 10).put("pauseBetweenDialogues", 3)
        .put("openingMessage", new JsonObject().put("text", "Hi"));
    return outcomes == null ? t : t.put("outcomes", outcomes);
  }

  private static String created(Http http, String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }
}
