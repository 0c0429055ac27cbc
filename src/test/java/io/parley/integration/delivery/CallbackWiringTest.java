package io.parley.integration.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Parley as started in production (its own sender, real timers and clock) delivers a callback. */
class CallbackWiringTest {
  @Test
  void aStartedParleySendsCallbacksOnItsOwn() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver(Clock.systemUTC());
        TestParley parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false"), Clock.systemUTC())) {
      String marketer = parley.token("marketer");
      var created = parley.http().post("/api/integrations", marketer, new JsonObject().put("name", "CRM")
          .put("url", receiver.url()).put("events", new JsonArray().add("task.completed")));
      assertEquals(201, created.status(), created.toString());
      receiver.secret(created.json().getString("secret"));
      String taskId = Ids.newId();
      new Fixtures(parley).insert(Collections.TASKS, new Document("_id", taskId).append("name", "Launch")
          .append("status", "completed").append("integration", created.json().getString("id"))
          .append("createdAt", new Date()));
      new Fixtures(parley).insert(Collections.TASK_PROGRESS, new Document("_id", taskId)
          .append("counts", new Document("sent", 2L).append("failed", 1L))
          .append("stats", new Document("spend", new org.bson.types.Decimal128(new java.math.BigDecimal("1.25")))));

      parley.parley().app().vertx().eventBus().publish(EventAddresses.TASK_STATUS,
          new JsonObject().put("id", taskId).put("status", "completed"));

      Poll.until("the callback", Duration.ofSeconds(10), receiver::received, r -> r.size() == 1);
      CallbackReceiver.Received got = receiver.received().get(0);
      assertTrue(got.verified());
      JsonObject body = new JsonObject(got.body());
      assertEquals("task.completed", body.getString("type"));
      JsonObject task = body.getJsonObject("data").getJsonObject("task");
      assertEquals("Launch", task.getString("name"));
      assertEquals(new JsonObject().put("pending", 0).put("sending", 0).put("sent", 2).put("failed", 1).put("skipped", 0)
          .put("unknown", 0), task.getJsonObject("counts"), "every state, zero where nothing moved");
      assertEquals("1.25", task.getString("spend"));
      Poll.until("delivered in the log", Duration.ofSeconds(10),
          () -> parley.http().get("/api/integrations/" + created.json().getString("id") + "/deliveries", marketer).items(),
          items -> items.size() == 1 && "delivered".equals(items.getJsonObject(0).getString("status")));
      // the attempt is counted just after it is stored: wait for the count rather than race it
      Poll.until("the attempt counted", Duration.ofSeconds(10), () -> parley.http().get("/metrics", null).body(),
          metrics -> metrics.contains("parley_callbacks_attempts_total{result=\"delivered\"} 1.0"));
      assertEquals(List.of(got.id()), List.of(new Fixtures(parley).find(Collections.DELIVERIES, got.id()).getString("_id")));
    }
  }
}
