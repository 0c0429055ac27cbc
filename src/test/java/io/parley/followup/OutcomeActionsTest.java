package io.parley.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.DerivedIds;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Completing a follow-up task with an outcome runs the outreach task's actions for it, each exactly once. */
class OutcomeActionsTest {
  static FollowUpRig rig;
  static String marketer;
  static String web;
  static String ai;
  static FollowUpRig.Manager anna;
  static final List<JsonObject> completed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    rig = new FollowUpRig();
    marketer = rig.parley.token("marketer");
    web = rig.db.channel("web");
    ai = rig.db.ai("bot");
    anna = rig.manager("Anna");
    rig.parley.parley().app().vertx().eventBus().<JsonObject>consumer(EventAddresses.MANAGER_TASK_COMPLETED,
        m -> completed.add(m.body()));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  static JsonObject outreach(String name, JsonArray audience, JsonObject outcomes) {
    JsonObject body = new JsonObject().put("name", name).put("type", "web").put("format", "incoming_outgoing")
        .put("channels", new JsonArray().add(web)).put("managers", new JsonArray().add(anna.id())).put("ai", ai)
        .put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 100).put("pauseBetweenDialogues", 5)
        .put("openingMessage", new JsonObject().put("text", "Hi")).put("audience", audience);
    if (outcomes != null) body.put("outcomes", outcomes);
    return body;
  }

  static String create(JsonObject body) {
    Http.Response r = rig.http.post("/api/tasks", marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  static JsonObject action(String kind) {
    return new JsonObject().put("action", kind);
  }

  @Test
  void eachActionRunsOnceHoweverOftenCompletionIsRetried() {
    String nurture = create(outreach("Nurture", new JsonArray(), null));
    String webinar = create(outreach("Webinar", new JsonArray().add("olga").add("pavel"), null));
    String main = create(outreach("Main", new JsonArray(), new JsonObject()
        .put("interested_later", new JsonArray()
            .add(action("follow_up").put("inDays", 7).put("text", "Call Olga again"))
            .add(action("add_to_task").put("task", nurture))
            .add(action("call_integration")))
        .put("not_interested", new JsonArray()
            .add(action("tag").put("tag", "cold"))
            .add(action("remove_from_task").put("task", webinar)))
        .put("booked_demo", new JsonArray())));
    rig.db.update(Collections.TASKS, nurture, Updates.set("status", "stopped")); // refuses targets at first

    String first = lead("olga", main);
    JsonObject done = complete(first, "interested_later");
    JsonArray actions = done.getJsonArray("outcome_actions");
    assertEquals("done", actions.getJsonObject(0).getString("state"));
    assertEquals("failed", actions.getJsonObject(1).getString("state"), actions.encode());
    assertNotNull(actions.getJsonObject(1).getString("reason"));
    rig.db.update(Collections.TASKS, nurture, Updates.set("status", "awaiting"));
    for (int i = 0; i < 3; i++) {
      JsonArray retried = complete(first, "interested_later").getJsonArray("outcome_actions");
      assertEquals(List.of("done", "done", "done"), retried.stream().map(a -> ((JsonObject) a).getString("state")).toList(),
          retried.encode());
    }
    assertEquals(1, rig.db.count(Collections.MANAGER_TASKS, Filters.eq("text", "Call Olga again")), "one follow-up task");
    Document followUp = rig.db.find(Collections.MANAGER_TASKS, DerivedIds.of("mt:" + first + ":interested_later:0"));
    assertEquals("2026-01-13", followUp.getString("date"), "due seven days after completion");
    assertEquals(anna.id(), followUp.getString("assignedTo"));
    assertEquals("olga", followUp.getString("contact"));
    assertEquals(1, rig.db.count(Collections.AUDIENCE, Filters.eq("task", nurture)), "added to the other task once");
    assertEquals(1L, ((Number) rig.db.find(Collections.TASK_PROGRESS, nurture).get("counts", Document.class).get("pending")).longValue());
    Poll.until("the completion event", Duration.ofSeconds(5), () -> completed.stream()
        .filter(e -> first.equals(e.getString("id"))).toList(), list -> !list.isEmpty());
    JsonObject event = completed.stream().filter(e -> first.equals(e.getString("id"))).findFirst().orElseThrow();
    assertEquals("interested_later", event.getString("outcome"));
    assertEquals(true, event.getBoolean("callIntegration"));
    assertEquals(main, event.getString("taskId"));

    String second = lead("olga", main);
    complete(second, "not_interested");
    complete(second, "not_interested");
    Http.Response other = rig.put("/api/manager-tasks/" + second, anna.token(), new JsonObject().put("outcome", "no_answer"));
    assertEquals(409, other.status(), "a completed task keeps its outcome until reopened");
    assertEquals(List.of("cold"), rig.db.find(Collections.CONTACTS, "olga").getList("tags", String.class));
    Document entry = rig.db.find(Collections.AUDIENCE, webinar + ":olga");
    assertEquals("skipped", entry.getString("state"));
    assertEquals(OutcomeRunner.REMOVED, entry.getString("reason"));
    Document counts = rig.db.find(Collections.TASK_PROGRESS, webinar).get("counts", Document.class);
    assertEquals(1L, ((Number) counts.get("pending")).longValue(), "pavel stays");
    assertEquals(1L, ((Number) counts.get("skipped")).longValue(), "counted once, however often it ran");
    assertEquals("pending", rig.db.find(Collections.AUDIENCE, webinar + ":pavel").getString("state"));

    String custom = lead("pavel", main);
    assertEquals("booked_demo", complete(custom, "booked_demo").getString("outcome"));
    Http.Response unknown = rig.put("/api/manager-tasks/" + lead("pavel", main), anna.token(),
        new JsonObject().put("is_complete", true).put("outcome", "delighted"));
    assertEquals(400, unknown.status());
    assertEquals("outcome", unknown.error().getString("field"));
    Poll.until("one event per completed task", Duration.ofSeconds(5), () -> completed.stream()
        .filter(e -> List.of(first, second, custom).contains(e.getString("id"))).count(), n -> n == 3);
    assertEquals(1, completed.stream().filter(e -> first.equals(e.getString("id"))).count());
  }

  @Test
  void outcomeSettingsAreValidatedAndShownOnTheTask() {
    JsonObject rules = new JsonObject().put("no_answer", new JsonArray().add(action("follow_up").put("inDays", 2)));
    String id = create(outreach("Shown", new JsonArray(), rules).put("followUpAfterDays", 3));
    JsonObject task = rig.http.get("/api/tasks/" + id, marketer).json();
    assertEquals(3, task.getInteger("followUpAfterDays"));
    assertEquals("same", task.getJsonObject("outcomes").getJsonArray("no_answer").getJsonObject(0).getString("assignTo"));
    Http.Response patched = rig.http.patch("/api/tasks/" + id, marketer, new JsonObject().put("name", "Renamed"));
    assertEquals(200, patched.status(), patched.toString());
    assertEquals(task.getJsonObject("outcomes"), patched.json().getJsonObject("outcomes"), "kept through an edit");

    refused("outcomes", b -> b.put("outcomes", "tag them"));
    refused("outcomes.Not Now", b -> b.put("outcomes", new JsonObject().put("Not Now", new JsonArray())));
    refused("outcomes.x", b -> b.put("outcomes", new JsonObject().put("x", action("tag"))));
    refused("outcomes.x[0].action", b -> b.put("outcomes", new JsonObject().put("x", new JsonArray().add(action("explode")))));
    refused("outcomes.x[0].inDays", b -> b.put("outcomes", new JsonObject().put("x", new JsonArray().add(action("follow_up")))));
    refused("outcomes.x[0].task", b -> b.put("outcomes", new JsonObject().put("x",
        new JsonArray().add(action("add_to_task").put("task", "nope")))));
    refused("outcomes.x[0].tag", b -> b.put("outcomes", new JsonObject().put("x",
        new JsonArray().add(action("remove_from_task").put("task", "64b000000000000000000000").put("tag", "x")))));
    refused("followUpAfterDays", b -> b.put("followUpAfterDays", 0));
    refused("followUpAfterDays", b -> b.put("followUpAfterDays", "3"));
  }

  private static void refused(String field, Consumer<JsonObject> change) {
    JsonObject body = outreach("Refused", new JsonArray(), null);
    change.accept(body);
    Http.Response r = rig.http.post("/api/tasks", marketer, body);
    assertEquals(400, r.status(), r.toString());
    assertEquals(field, r.error().getString("field"), r.toString());
  }

  private static String lead(String contact, String task) {
    return rig.lead(anna.token(), new JsonObject().put("text", "Call " + contact).put("contact", contact).put("task", task))
        .getString("id");
  }

  private static JsonObject complete(String id, String outcome) {
    Http.Response r = rig.put("/api/manager-tasks/" + id, anna.token(),
        new JsonObject().put("is_complete", true).put("outcome", outcome));
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }
}
