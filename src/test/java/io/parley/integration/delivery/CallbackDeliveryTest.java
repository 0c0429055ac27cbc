package io.parley.integration.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.integration.delivery.CallbackReceiver.Answer;
import io.parley.integration.delivery.CallbackReceiver.Received;
import io.parley.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Callbacks from the event to the receiver: payload, signature, retries, Retry-After, 410 and restarts. */
class CallbackDeliveryTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  CallbackRig rig;

  @BeforeEach
  void start() throws Exception {
    rig = new CallbackRig(START);
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  @Test
  void theReceiversOwnVerifierAcceptsTheSpecsKnownAnswer() {
    SpecVerifier spec = new SpecVerifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        spec.expected("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "{\"test\": 2432232314}"));
    assertTrue(spec.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
        "v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "{\"test\": 2432232314}", 1614265330L));
    assertFalse(spec.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "{\"test\": 2432232315}", 1614265330L));
  }

  @Test
  void aSucceededDialogueReachesTheIntegrationSignedWithTheTaskContactSummaryOutcomeAndSpend() {
    String integration = rig.integration();
    String task = rig.task(integration);
    String dialogue = rig.dialogue(task);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, dialogue));

    String id = rig.awaitDeliveries(1).get(0).getString("_id");
    Document done = rig.attempt(id, 1);
    assertEquals("delivered", done.getString("status"));

    Received got = rig.receiver.received().get(0);
    assertTrue(got.verified(), "the signature verifies with the receiver's own implementation of the spec");
    assertEquals(id, got.id());
    assertTrue(id.matches("msg_[A-Za-z0-9_-]+"), id);
    JsonObject envelope = new JsonObject(got.body());
    assertEquals("dialogue.succeeded", envelope.getString("type"));
    assertEquals(START.toString(), envelope.getString("timestamp"));
    JsonObject data = envelope.getJsonObject("data");
    assertEquals(new JsonObject().put("id", task).put("name", "Spring webinar").put("status", "in_progress"),
        data.getJsonObject("task"));
    assertEquals(new JsonObject().put("address", "client-7").put("fields", new JsonObject().put("name", "Dana")),
        data.getJsonObject("contact"));
    assertEquals("success", data.getString("outcome"));
    assertEquals("0.35", data.getString("spend"), "as the dialogue API writes it: exact, no trailing zeros");
    JsonObject summary = data.getJsonObject("dialogue");
    assertEquals("closed", summary.getString("state"));
    assertEquals(7, summary.getInteger("messageCount"));
    JsonArray last = summary.getJsonArray("lastMessages");
    assertEquals(5, last.size());
    assertEquals("message 3", last.getJsonObject(0).getString("text"));
    assertEquals("message 7", last.getJsonObject(4).getString("text"));
    assertEquals(CallbackRig.PUBLIC_URL + "/api/dialogues/" + dialogue, summary.getString("transcriptUrl"));
  }

  @Test
  void theSameFactEnqueuedAgainMakesNoSecondDelivery() {
    String integration = rig.integration("dialogue.succeeded", "dialogue.closed");
    String task = rig.task(integration);
    String dialogue = rig.dialogue(task);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, dialogue));
    List<Document> first = rig.awaitDeliveries(2);
    assertEquals(List.of("dialogue.closed", "dialogue.succeeded"),
        first.stream().map(d -> d.getString("event")).sorted().toList());

    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, dialogue));
    Callbacks callbacks = new Callbacks(rig.app());
    List<String> again = CallbackRig.await(
        callbacks.enqueue("dialogue.succeeded", "dialogue.succeeded:" + dialogue, new JsonObject(), task));
    assertEquals(List.of(), again);
    assertEquals(2, rig.deliveries().size());
  }

  @Test
  void eventsTheIntegrationDidNotChooseAreNotSent() {
    String integration = rig.integration(); // dialogue.succeeded only
    String task = rig.task(integration);
    String dialogue = rig.dialogue(task);
    rig.publish(EventAddresses.DIALOGUE_BLOCKED, new JsonObject().put("dialogueId", dialogue).put("taskId", task)
        .put("reason", "spend cap").put("at", START.toString()));
    rig.publish(EventAddresses.TASK_STATUS, new JsonObject().put("id", task).put("status", "completed"));
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, dialogue).put("outcome", "not_interested")
        .put("closed", false));
    // a dialogue.succeeded of the same task afterwards is the only delivery
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, dialogue));
    List<Document> stored = rig.awaitDeliveries(1);
    assertEquals("dialogue.succeeded", stored.get(0).getString("event"));
  }

  @Test
  void failedAttemptsFollowTheScheduleWithJitterKeepTheIdAndGiveUpAfterTheEighth() {
    rig.receiver.otherwise(Answer.of(500));
    String integration = rig.integration();
    String task = rig.task(integration);
    String dialogue = rig.dialogue(task);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, dialogue));
    String id = rig.awaitDeliveries(1).get(0).getString("_id");

    Instant previous = null;
    for (int n = 1; n <= 8; n++) {
      Document d = rig.attempt(id, n);
      Instant at = rig.clock.instant();
      if (previous != null) {
        Duration wait = Duration.between(previous, at);
        Duration base = RetrySchedule.WAITS.get(n - 1);
        assertTrue(wait.compareTo(base) >= 0 && wait.toMillis() <= base.toMillis() * 1.1 + 1,
            "attempt " + n + " came " + wait + " after the previous, schedule says " + base);
      }
      previous = at;
      assertEquals(n < 8 ? "pending" : "failed", d.getString("status"));
    }
    assertTrue(Duration.between(START, rig.clock.instant()).toHours() >= 27, "the schedule spans about 27.5 hours");
    assertEquals(8, rig.receiver.received().size());
    assertTrue(rig.receiver.received().stream().allMatch(r -> r.id().equals(id) && r.verified()));
    Document failed = rig.delivery(id);
    assertEquals(8, failed.getList("log", Document.class).size());
    assertEquals(500, failed.getList("log", Document.class).get(7).getInteger("status"));
    assertTrue(failed.getString("reason").startsWith("gave up after 8 attempts"), failed.getString("reason"));
    io.parley.support.Poll.until("gave-up event", Duration.ofSeconds(5), () -> rig.gaveUp.size(), n -> n == 1);
    assertEquals(id, rig.gaveUp.get(0).getString("deliveryId"));
    assertEquals(dialogue, rig.gaveUp.get(0).getString("dialogueId"));
    assertEquals(0, rig.steps.size(), "nothing more is scheduled");
  }

  @Test
  void retryAfterIsHonouredAndALaterSuccessDelivers() {
    rig.receiver.then(new Answer(503, Map.of("Retry-After", "3600"), "busy")).then(Answer.of(500));
    String integration = rig.integration();
    String task = rig.task(integration);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
    String id = rig.awaitDeliveries(1).get(0).getString("_id");

    rig.attempt(id, 1);
    assertEquals(START.plusSeconds(3600), rig.steps.next(), "the receiver asked for an hour, not the schedule's 5 s");
    Document second = rig.attempt(id, 2);
    assertEquals("pending", second.getString("status"));
    Document third = rig.attempt(id, 3);
    assertEquals("delivered", third.getString("status"));
    List<Integer> statuses = third.getList("log", Document.class).stream().map(a -> a.getInteger("status")).toList();
    assertEquals(List.of(503, 500, 200), statuses);
    assertEquals("busy", third.getList("log", Document.class).get(0).getString("response"));
  }

  @Test
  void aLongAnswerIsKeptAsItsStartAndAnUnreachableReceiverIsAnAttemptWithAnError() {
    rig.receiver.then(new Answer(502, Map.of(), "x".repeat(2_000_000)));
    String integration = rig.integration();
    String task = rig.task(integration);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
    String id = rig.awaitDeliveries(1).get(0).getString("_id");
    Document first = rig.attempt(id, 1);
    Document attempt = first.getList("log", Document.class).get(0);
    assertEquals(502, attempt.getInteger("status"));
    assertEquals("x".repeat(Attempt.MAX_EXCERPT), attempt.getString("response"));

    rig.http.patch("/api/integrations/" + integration, rig.marketer, new JsonObject().put("url", "http://127.0.0.1:9/closed"));
    Document second = rig.attempt(id, 2);
    Document unreachable = second.getList("log", Document.class).get(1);
    assertEquals(null, unreachable.get("status"));
    assertTrue(unreachable.getString("error").startsWith("receiver not reached"), unreachable.getString("error"));
    assertEquals("pending", second.getString("status"));
  }

  @Test
  void twoSendersRacingForOneDeliverySendItOnce() {
    rig.secondSender();
    String integration = rig.integration();
    String task = rig.task(integration);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
    String id = rig.awaitDeliveries(1).get(0).getString("_id");
    io.parley.support.Poll.until("both senders scheduled it", Duration.ofSeconds(5), () -> rig.steps.size(), n -> n == 2);
    rig.steps.runNext();
    rig.steps.runNext();
    io.parley.support.Poll.until("delivered, both having claimed", Duration.ofSeconds(10), () -> rig.delivery(id),
        d -> "delivered".equals(d.getString("status")) && ((Number) d.get("claims")).intValue() == 2);
    while (rig.steps.size() > 0) rig.steps.runNext(); // the loser looks again once the winner's claim ends
    io.parley.support.Poll.until("every claim given back", Duration.ofSeconds(10), () -> rig.delivery(id),
        d -> d.get("claimUntil") == null);
    assertEquals(1, rig.receiver.received().size());
    assertEquals(1, rig.delivery(id).getInteger("attempts"));
  }

  @Test
  void goneDisablesTheIntegrationAndStopsItsPendingDeliveries() {
    String integration = rig.integration("dialogue.succeeded", "task.completed");
    String task = rig.task(integration);
    rig.receiver.then(Answer.of(500)).then(Answer.of(410));
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
    String first = rig.awaitDeliveries(1).get(0).getString("_id");
    rig.attempt(first, 1); // 500: waits for its retry
    rig.publish(EventAddresses.TASK_STATUS, new JsonObject().put("id", task).put("status", "completed"));
    String second = rig.awaitDeliveries(2).stream().map(d -> d.getString("_id")).filter(i -> !i.equals(first))
        .findFirst().orElseThrow();
    assertEquals(START, rig.steps.next());
    Document gone = rig.attempt(second, 1); // 410
    assertEquals("failed", gone.getString("status"));
    assertEquals(DeliveryOutcomes.GONE, gone.getString("reason"));

    JsonObject shown = rig.http.get("/api/integrations/" + integration, rig.marketer).json();
    assertEquals(false, shown.getBoolean("enabled"));
    assertEquals(DeliveryOutcomes.GONE, shown.getString("disabledReason"));
    Document stopped = io.parley.support.Poll.until("the pending delivery stopped", Duration.ofSeconds(5),
        () -> rig.delivery(first), d -> "failed".equals(d.getString("status")));
    assertEquals(1, stopped.getInteger("attempts"));
    io.parley.support.Poll.until("two gave-up events", Duration.ofSeconds(5), () -> rig.gaveUp.size(), n -> n == 2);

    // the stopped delivery's timer finds it ended and sends nothing
    rig.steps.runNext();
    io.parley.support.Poll.until("its claim given back", Duration.ofSeconds(5), () -> rig.delivery(first),
        d -> d.get("claimUntil") == null && ((Number) d.get("claims")).intValue() == 2);
    assertEquals(2, rig.receiver.received().size());
    // nothing new is stored for a disabled integration
    Callbacks callbacks = new Callbacks(rig.app());
    assertEquals(List.of(), CallbackRig.await(callbacks.enqueue("task.completed", "task.completed:other",
        new JsonObject(), rig.task(integration))));
    assertEquals(2, rig.deliveries().size());
    Http.Response replay = rig.http.post("/api/integrations/" + integration + "/deliveries/" + second + "/redeliver",
        rig.marketer, null);
    assertEquals(409, replay.status(), replay.toString());
    assertEquals("integration_disabled", replay.error().getString("code"));
  }

  @Test
  void aPendingDeliverySurvivesARestartAndAnInterruptedSendIsTriedAgain() {
    rig.receiver.then(Answer.of(500));
    String integration = rig.integration();
    String task = rig.task(integration);
    rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
    String id = rig.awaitDeliveries(1).get(0).getString("_id");
    rig.attempt(id, 1);

    // as if a process died in the middle of the second attempt: claimed until a minute from now
    Instant claimUntil = rig.clock.instant().plusSeconds(60);
    rig.db.update(io.parley.store.Collections.DELIVERIES, id, new Document("$set",
        new Document("claimUntil", Date.from(claimUntil)).append("nextAttemptAt", Date.from(rig.clock.instant()))));
    rig.restart();
    io.parley.support.Poll.until("the pending delivery loaded", Duration.ofSeconds(10), () -> rig.steps.size(), n -> n == 1);
    rig.steps.runNext(); // due, but the dead sender's claim still holds: it waits for it to expire
    io.parley.support.Poll.until("rescheduled at the claim's end", Duration.ofSeconds(10), () -> rig.steps.next(),
        claimUntil::equals);
    Document done = rig.attempt(id, 2);
    assertEquals("delivered", done.getString("status"));
    assertEquals(List.of(id, id), rig.receiver.received().stream().map(Received::id).toList());
    assertTrue(rig.receiver.received().get(1).verified());
  }

  /**
   * A sender loads only what falls due within two rescans, a page at a time: a backlog due later stays in
   * the store until it comes near, and a full page loads the next when its last one is due.
   */
  @Test
  void aSenderLoadsOnlyWhatIsDueSoonAPageAtATime() {
    String integration = rig.integration();
    String task = rig.task(integration);
    for (int i = 0; i < 3; i++) rig.publish(EventAddresses.DIALOGUE_OUTCOME, rig.succeeded(task, rig.dialogue(task)));
    List<String> ids = rig.awaitDeliveries(3).stream().map(d -> d.getString("_id")).sorted().toList();
    Instant now = rig.clock.instant();
    Instant first = now.plusSeconds(60);
    Instant second = now.plusSeconds(120);
    Instant later = now.plus(Duration.ofDays(2)); // the default rescan is 300 s: far beyond two of them
    List<Instant> due = List.of(first, second, later);
    for (int i = 0; i < 3; i++) {
      rig.db.update(io.parley.store.Collections.DELIVERIES, ids.get(i),
          new Document("$set", new Document("nextAttemptAt", Date.from(due.get(i)))));
    }
    rig.restart(1);
    io.parley.support.Poll.until("the first page loaded", Duration.ofSeconds(10), () -> rig.steps.size(), n -> n == 2);
    assertEquals(first, rig.steps.next(), "the soonest, and the next page's load when it is due");

    rig.steps.advance(Duration.ofSeconds(60));
    io.parley.support.Poll.until("the first delivered", Duration.ofSeconds(10), () -> rig.delivery(ids.get(0)).getString("status"),
        "delivered"::equals);
    // the page's load ran beside the first's send: if it saw it still pending, it loads again a second later
    io.parley.support.Poll.until("the next load scheduled", Duration.ofSeconds(10), () -> rig.steps.size(), n -> n >= 1);
    rig.steps.advance(Duration.ofSeconds(1));
    io.parley.support.Poll.until("the second loaded", Duration.ofSeconds(10),
        () -> rig.steps.size() == 2 && second.equals(rig.steps.next()), ok -> ok);
    rig.steps.advance(Duration.ofSeconds(59));
    io.parley.support.Poll.until("the second delivered", Duration.ofSeconds(10), () -> rig.receiver.received().size(), n -> n == 2);
    assertEquals(List.of(ids.get(0), ids.get(1)), rig.receiver.received().stream().map(Received::id).toList());
    assertEquals("pending", rig.delivery(ids.get(2)).getString("status"), "the one due in two days waits in the store");
    rig.steps.advance(Duration.ofSeconds(1)); // as above: a load a second later finds nothing more due
    io.parley.support.Poll.until("nothing more held", Duration.ofSeconds(10), () -> rig.steps.size(), n -> n == 0);
  }

  @Test
  void followUpTaskEventsAndTaskCompletionReachSubscribedIntegrations() {
    String integration = rig.integration("task.completed", "manager_task.created", "manager_task.completed");
    String task = rig.task(integration);
    rig.publish(EventAddresses.TASK_STATUS, new JsonObject().put("id", task).put("status", "completed"));
    rig.publish(EventAddresses.MANAGER_TASK_CREATED, new JsonObject().put("id", "mt1").put("type", "call")
        .put("assignedTo", "op").put("taskId", task).put("date", "2026-03-03").put("at", START.toString()));
    rig.publish(EventAddresses.MANAGER_TASK_COMPLETED, new JsonObject().put("id", "mt1").put("type", "call")
        .put("assignedTo", "op").put("taskId", task).put("outcome", "done").put("at", START.toString()));
    rig.awaitDeliveries(3);
    for (int i = 0; i < 3; i++) rig.steps.runNext();
    io.parley.support.Poll.until("three delivered", Duration.ofSeconds(10), () -> rig.deliveries(),
        all -> all.stream().allMatch(d -> "delivered".equals(d.getString("status"))));
    List<String> types = rig.receiver.received().stream().map(r -> new JsonObject(r.body()).getString("type")).sorted().toList();
    assertEquals(List.of("manager_task.completed", "manager_task.created", "task.completed"), types);
    JsonObject created = rig.receiver.received().stream().map(r -> new JsonObject(r.body()))
        .filter(b -> b.getString("type").equals("manager_task.created")).findFirst().orElseThrow();
    assertEquals("mt1", created.getJsonObject("data").getJsonObject("managerTask").getString("id"));
    assertEquals("Spring webinar", created.getJsonObject("data").getJsonObject("task").getString("name"));
    assertNotNull(rig.receiver.received().get(0).signature());
  }
}
