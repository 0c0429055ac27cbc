package io.parley.integration.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.integration.delivery.CallbackReceiver.Answer;
import io.parley.integration.delivery.CallbackReceiver.Received;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The delivery log and redelivery endpoints, their bad input and their role boundary. */
class DeliveryApiTest {
  static CallbackRig rig;
  static String integration;
  static String task;
  /** Newest first: three dialogue.succeeded deliveries and a task.completed one, all delivered. */
  static final List<String> ids = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    rig = new CallbackRig(Instant.parse("2026-03-02T09:00:00Z"));
    integration = rig.integration("dialogue.succeeded", "task.completed");
    task = rig.task(integration);
    for (int i = 0; i < 3; i++) {
      rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
      ids.add(0, rig.awaitDeliveries(i + 1).stream().map(d -> d.getString("_id")).filter(id -> !ids.contains(id))
          .findFirst().orElseThrow());
      rig.attempt(ids.get(0), 1);
    }
    rig.receiver.then(Answer.of(500));
    rig.publish(EventAddresses.TASK_STATUS, new JsonObject().put("id", task).put("status", "completed"));
    ids.add(0, rig.awaitDeliveries(4).stream().map(d -> d.getString("_id")).filter(id -> !ids.contains(id))
        .findFirst().orElseThrow());
    rig.attempt(ids.get(0), 1); // fails once, waits for its retry
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  static Http.Response get(String path) {
    return rig.http.get(path, rig.marketer);
  }

  static List<String> idsOf(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void listsNewestFirstInPagesWithFilters() {
    String base = "/api/integrations/" + integration + "/deliveries";
    Http.Response all = get(base);
    assertEquals(200, all.status(), all.toString());
    assertEquals(ids, idsOf(all.items()));
    assertNull(all.json().getValue("next"));
    JsonObject newest = all.items().getJsonObject(0);
    assertEquals("task.completed", newest.getString("event"));
    assertEquals("pending", newest.getString("status"));
    assertEquals(1, newest.getInteger("attempts"));
    assertEquals(500, newest.getInteger("lastStatusCode"));
    assertTrue(newest.getString("nextAttemptAt") != null);

    Http.Response page1 = get(base + "?limit=3");
    assertEquals(ids.subList(0, 3), idsOf(page1.items()));
    Http.Response page2 = get(base + "?limit=3&after=" + page1.json().getString("next"));
    assertEquals(ids.subList(3, 4), idsOf(page2.items()));
    assertNull(page2.json().getValue("next"));

    assertEquals(ids.subList(1, 4), idsOf(get(base + "?status=delivered").items()));
    assertEquals(ids.subList(0, 1), idsOf(get(base + "?event=task.completed").items()));
    assertEquals(List.of(), idsOf(get(base + "?status=failed").items()));
  }

  @Test
  void oneDeliveryShowsItsAttemptsAndPayload() {
    Http.Response r = get("/api/integrations/" + integration + "/deliveries/" + ids.get(0));
    assertEquals(200, r.status(), r.toString());
    JsonObject d = r.json();
    assertEquals("task.completed", d.getJsonObject("payload").getString("type"));
    JsonArray log = d.getJsonArray("log");
    assertEquals(1, log.size());
    JsonObject attempt = log.getJsonObject(0);
    assertEquals(500, attempt.getInteger("status"));
    assertEquals("receiver answered 500", attempt.getString("error"));
    assertEquals("status 500", attempt.getString("response"));
    assertTrue(attempt.getLong("durationMs") >= 0);
    assertEquals("2026-03-02T09:00:00Z", attempt.getString("at"));
  }

  @Test
  void redeliverySendsTheSameWebhookIdOnceMore() {
    String id = ids.get(2);
    String path = "/api/integrations/" + integration + "/deliveries/" + id + "/redeliver";
    int before = rig.receiver.received().size();
    Http.Response r = rig.http.post(path, rig.marketer, null);
    assertEquals(202, r.status(), r.toString());
    assertEquals("pending", r.json().getString("status"));
    assertEquals(id, r.json().getString("id"));

    Http.Response again = rig.http.post(path, rig.marketer, null);
    assertEquals(409, again.status(), again.toString());
    assertEquals("delivery_pending", again.error().getString("code"));

    io.parley.support.Poll.until("the redelivery scheduled", Duration.ofSeconds(5), () -> rig.steps.next(),
        next -> next != null && !next.isAfter(rig.clock.instant()));
    Document done = rig.attempt(id, 2);
    assertEquals("delivered", done.getString("status"));
    Received last = rig.receiver.received().get(rig.receiver.received().size() - 1);
    assertEquals(before + 1, rig.receiver.received().size());
    assertEquals(id, last.id());
    assertTrue(last.verified());
    assertEquals(2, get("/api/integrations/" + integration + "/deliveries/" + id).json().getJsonArray("log").size());
  }

  @Test
  void unknownIdsAndBadQueriesAreRefused() {
    String base = "/api/integrations/" + integration + "/deliveries";
    String other = rig.http.post("/api/integrations", rig.marketer, new JsonObject().put("name", "Other")
        .put("url", "http://127.0.0.1:9/other")).json().getString("id");
    assertEquals(404, get("/api/integrations/0123456789abcdef01234567/deliveries").status());
    assertEquals(404, get("/api/integrations/nope/deliveries").status());
    assertEquals(404, get(base + "/msg_unknown").status());
    assertEquals(404, get(base + "/not-a-delivery-id").status());
    assertEquals(404, get("/api/integrations/" + other + "/deliveries/" + ids.get(1)).status(),
        "a delivery is found only under its own integration");
    assertEquals(404, rig.http.post(base + "/msg_unknown/redeliver", rig.marketer, null).status());
    Http.Response badStatus = get(base + "?status=sent");
    assertEquals(400, badStatus.status());
    assertEquals("status", badStatus.error().getString("field"));
    assertEquals("limit", get(base + "?limit=0").error().getString("field"));
    assertEquals("limit", get(base + "?limit=abc").error().getString("field"));
    assertEquals("after", get(base + "?after=xyz").error().getString("field"));
  }

  @Test
  void onlyMarketersAndAdminsMaySeeOrReplayDeliveries() {
    String base = "/api/integrations/" + integration + "/deliveries";
    String redeliver = base + "/" + ids.get(1) + "/redeliver";
    for (String role : List.of("manager", "integration")) {
      String token = rig.parley.token(role);
      assertEquals(403, rig.http.get(base, token).status(), role);
      assertEquals(403, rig.http.get(base + "/" + ids.get(1), token).status(), role);
      assertEquals(403, rig.http.post(redeliver, token, null).status(), role);
    }
    assertEquals(401, rig.http.get(base, null).status());
    assertEquals(200, rig.http.get(base, TestParley.ADMIN).status());
    assertEquals("delivered", rig.delivery(ids.get(1)).getString("status"), "refused calls changed nothing");
  }
}
