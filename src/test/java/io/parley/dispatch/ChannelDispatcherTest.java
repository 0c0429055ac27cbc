package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** One channel's dispatcher against the embedded store and a real receiver, with time moved by hand. */
class ChannelDispatcherTest {
  static final Instant NINE = Instant.parse("2026-11-23T09:00:00Z");

  @Test
  void opensOneDialoguePerPauseRendersAndCompletes() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 5, "Hello {{name}}, about {{company}}?",
          "id,name,company", "ann,Ann,Acme", "bob,Bob,", "cid,Cid,Cyan");
      rig.dispatch(channel, "me");
      assertEquals(List.of("ann"), rig.sentTo(), "the first dialogue opens at once");
      assertEquals(List.of("Hello Ann, about Acme?"), rig.texts());
      assertEquals(NINE.plusSeconds(5), rig.scheduler.next(), "the next waits the pause");
      rig.scheduler.advance(Duration.ofSeconds(4));
      assertEquals(1, rig.sentTo().size());
      rig.scheduler.advance(Duration.ofSeconds(1));
      assertEquals(List.of("ann", "bob"), rig.sentTo());
      assertEquals("Hello Bob, about?", rig.texts().get(1), "a missing merge field renders empty");
      rig.scheduler.advance(Duration.ofSeconds(5));
      assertEquals(List.of("ann", "bob", "cid"), rig.sentTo());
      JsonObject t = rig.task(task);
      assertEquals("completed", t.getString("status"));
      assertEquals(3L, t.getJsonObject("progress").getLong("sent"));
      assertEquals(0L, t.getLong("remaining"));
      assertEquals(3L, t.getJsonObject("progress").getLong("dialogues"));
      assertEquals(3, rig.db.count(Collections.DIALOGUES, new Document("task", task)));
      Document dialogue = rig.db.find(Collections.DIALOGUES,
          rig.db.count(Collections.DIALOGUES, new Document()) > 0 ? firstDialogue(rig, task) : null);
      assertEquals("open", dialogue.getString("state"));
      assertEquals(rig.manager, dialogue.getString("manager"));
      Document first = rig.db.find(Collections.MESSAGES, rig.receiver.deliveries().get(0).webhookId());
      assertEquals("Hello Ann, about Acme?", first.getString("text"));
      assertEquals("out", first.getString("direction"));
      String metrics = rig.http.get("/metrics", null).body();
      for (String meter : List.of("parley_dialogues_opened_total", "parley_messages_sent_total")) {
        assertTrue(metrics.contains(meter + "{channel=\"" + channel + "\"} 3.0"), meter + " in:\n" + metrics);
      }
      assertTrue(metrics.contains("parley_send_results_total{channel=\"" + channel + "\",result=\"accepted\"} 3.0"));
      assertTrue(metrics.contains("parley_channel_remaining_today{channel=\"" + channel + "\"} 97.0"));
      assertTrue(metrics.contains("parley_dispatcher_lag_seconds_count{channel=\"" + channel + "\"}"));
    }
  }

  static String firstDialogue(DispatchRig rig, String task) {
    return io.parley.support.Fixtures.await(rig.parley.parley().app().store().collection(Collections.DIALOGUES)
        .find(new Document("task", task)).first()).getString("_id");
  }

  @Test
  void waitsForWorkingHours() {
    try (DispatchRig rig = new DispatchRig(Instant.parse("2026-11-23T05:59:00Z"))) {
      String channel = rig.channel();
      rig.task(List.of(channel), 6, 15, 100, 3, "Hi", "id", "a", "b");
      rig.dispatch(channel, "me");
      assertTrue(rig.sentTo().isEmpty(), "05:59 is outside 6-15 UTC");
      rig.scheduler.advanceTo(Instant.parse("2026-11-23T05:59:59Z"));
      assertTrue(rig.sentTo().isEmpty());
      rig.scheduler.advanceTo(Instant.parse("2026-11-23T06:00:00Z"));
      assertEquals(1, rig.sentTo().size(), "opens when the window opens");
    }
  }

  @Test
  void dailyLimitResetsAtTheUtcDayBoundary() {
    try (DispatchRig rig = new DispatchRig(Instant.parse("2026-11-23T23:59:00Z"))) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 2, 3, "Hi", "id", "a", "b", "c", "d");
      rig.dispatch(channel, "me");
      rig.scheduler.advanceTo(Instant.parse("2026-11-23T23:59:59Z"));
      assertEquals(2, rig.sentTo().size(), "the limit of 2 holds for the rest of the day");
      rig.scheduler.advanceTo(Instant.parse("2026-11-24T00:00:00Z"));
      assertEquals(3, rig.sentTo().size(), "a new UTC day brings a new allowance");
      rig.scheduler.advanceTo(Instant.parse("2026-11-24T00:00:30Z"));
      assertEquals(4, rig.sentTo().size());
      assertEquals(2, rig.db.find(Collections.CHANNEL_DAYS, channel + ":2026-11-23").getInteger("count"));
      assertEquals(2, rig.db.find(Collections.CHANNEL_DAYS, channel + ":2026-11-24").getInteger("count"));
      assertEquals("completed", rig.task(task).getString("status"));
    }
  }

  @Test
  void tasksShareAChannelInTurn() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      rig.task(List.of(channel), 0, 24, 100, 3, "A", "id", "a1", "a2", "a3");
      rig.task(List.of(channel), 0, 24, 100, 3, "B", "id", "b1", "b2", "b3");
      rig.dispatch(channel, "me");
      rig.scheduler.advance(Duration.ofSeconds(30));
      List<String> order = new ArrayList<>();
      for (String to : rig.sentTo()) order.add(to.substring(0, 1));
      assertEquals(6, order.size());
      for (int i = 1; i < order.size(); i++) {
        assertTrue(!order.get(i).equals(order.get(i - 1)), "tasks alternate: " + rig.sentTo());
      }
    }
  }

  @Test
  void pauseResumeAndStopTakeEffectBeforeTheNextDialogue() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 5, "Hi", "id", "a", "b", "c", "d");
      rig.dispatch(channel, "me");
      assertEquals(1, rig.sentTo().size());
      rig.lifecycle(task, "pause");
      rig.scheduler.advance(Duration.ofSeconds(60));
      assertEquals(1, rig.sentTo().size(), "nothing opens while paused");
      rig.lifecycle(task, "resume");
      assertEquals(2, rig.sentTo().size(), "resumed long after the pause: the next one opens at once");
      rig.scheduler.advance(Duration.ofSeconds(4));
      assertEquals(2, rig.sentTo().size(), "and the one after waits the pause");
      rig.lifecycle(task, "stop");
      rig.scheduler.advance(Duration.ofSeconds(60));
      assertEquals(2, rig.sentTo().size(), "stopped: no more");
      JsonObject t = rig.task(task);
      assertEquals("stopped", t.getString("status"));
      assertEquals(2L, t.getJsonObject("progress").getLong("pending"));
    }
  }

  @Test
  void retryLaterHoldsTheWholeChannelAndKeepsTheMessageId() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a", "b");
      int[] calls = {0};
      rig.answer = ctx -> {
        if (calls[0]++ == 0) ctx.response().setStatusCode(429).putHeader("Retry-After", "20").end();
        else ctx.response().end("{}");
      };
      rig.dispatch(channel, "me");
      assertEquals(1, rig.receiver.deliveries().size());
      rig.scheduler.advance(Duration.ofSeconds(19));
      assertEquals(1, rig.receiver.deliveries().size(), "the channel waits the 20 s the receiver asked for");
      rig.scheduler.advance(Duration.ofSeconds(1));
      assertEquals(2, rig.receiver.deliveries().size());
      assertEquals(rig.receiver.deliveries().get(0).webhookId(), rig.receiver.deliveries().get(1).webhookId(),
          "a retry is the same message");
      assertEquals("a", rig.sentTo().get(1));
    }
  }

  @Test
  void permanentFailuresEndWithTheirReasonAndGiveTheSlotBack() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "gone", "bad", "ok");
      rig.answer = ctx -> {
        String to = ctx.body().asJsonObject().getString("to");
        switch (to) {
          case "gone" -> ctx.response().setStatusCode(410).end();
          case "bad" -> ctx.response().setStatusCode(422).end("unknown recipient");
          default -> ctx.response().end("{}");
        }
      };
      rig.dispatch(channel, "me");
      rig.scheduler.advance(Duration.ofSeconds(10));
      assertEquals(3, rig.sentTo().size());
      JsonObject t = rig.task(task);
      assertEquals(2L, t.getJsonObject("progress").getLong("failed"));
      assertEquals(1L, t.getJsonObject("progress").getLong("sent"));
      assertEquals("completed", t.getString("status"));
      List<String> reasons = rig.audience(task, "failed").stream().map(o -> ((JsonObject) o).getString("reason")).sorted().toList();
      assertTrue(reasons.get(0).contains("410"), reasons.toString());
      assertTrue(reasons.get(1).contains("422") && reasons.get(1).contains("unknown recipient"), reasons.toString());
      assertEquals(1, rig.db.find(Collections.CHANNEL_DAYS, channel + ":2026-11-23").getInteger("count"),
          "only the opened dialogue counts against the day");
    }
  }

  @Test
  void refusedCredentialsPauseTheChannelUntilItIsEditedAndLoseNoTarget() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a", "b");
      rig.answer = ctx -> ctx.response().setStatusCode(401).end("bad signature");
      rig.deploy(channel, "me", new io.parley.channel.ChannelClients(rig.parley.parley().app().vertx(), rig.clock)
          .apply(rig.db.find(Collections.CHANNELS, channel)).orElseThrow());
      io.parley.support.Poll.until("the channel to be marked", Duration.ofSeconds(20),
          () -> rig.db.find(Collections.CHANNELS, channel).getString("state"), "auth_failed"::equals);
      rig.scheduler.advance(Duration.ofSeconds(30));
      assertEquals(1, rig.receiver.deliveries().size(), "nothing more is sent on a channel whose credentials failed");
      JsonObject stored = rig.http.get("/api/channels/" + channel, rig.marketer).json();
      assertEquals("auth_failed", stored.getString("state"));
      assertTrue(stored.getString("stateReason").contains("401"), stored.encode());
      JsonObject progress = rig.task(task).getJsonObject("progress");
      assertEquals(2L, progress.getLong("pending"), "the target goes back: " + progress);
      assertEquals(0, rig.db.find(Collections.CHANNEL_DAYS, channel + ":2026-11-23").getInteger("count"),
          "its daily slot too");
      var edit = rig.http.patch("/api/channels/" + channel, io.parley.support.TestParley.ADMIN,
          new JsonObject().put("settings", new JsonObject().put("secret", DispatchRig.SECRET)));
      assertEquals(200, edit.status(), edit.toString());
      assertEquals("active", edit.json().getString("state"), "editing the settings makes the channel active again");
      assertEquals(null, edit.json().getString("stateReason"));
    }
  }

  @Test
  void aRecipientOnlyDelayHoldsThatTargetNotTheChannel() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a", "b", "c");
      List<String> tried = new ArrayList<>();
      io.parley.channel.Channel scripted = m -> {
        tried.add(m.to());
        boolean busy = m.to().equals("a") && tried.stream().filter("a"::equals).count() == 1;
        return io.vertx.core.Future.succeededFuture(busy
            ? new io.parley.channel.SendResult.RetryLater(Duration.ofSeconds(60), "pair rate limit", true)
            : new io.parley.channel.SendResult.Accepted("p-" + m.to()));
      };
      rig.dispatch(channel, "me", scripted);
      rig.scheduler.advance(Duration.ofSeconds(6));
      assertEquals(List.of("a", "b", "c"), tried, "the channel goes on with the others at its pause");
      rig.scheduler.advance(Duration.ofSeconds(60));
      assertEquals(List.of("a", "b", "c", "a"), tried, "the busy recipient is tried again after its delay");
    }
  }

  @Test
  void giveUpAfterMaxAttempts() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a");
      rig.answer = ctx -> ctx.response().setStatusCode(503).putHeader("Retry-After", "10").end();
      rig.dispatch(channel, "me");
      rig.scheduler.advance(Duration.ofSeconds(60));
      assertEquals(3, rig.receiver.deliveries().size(), "three attempts (the rig's maximum)");
      JsonObject entry = rig.audience(task, "failed").getJsonObject(0);
      assertTrue(entry.getString("reason").startsWith("gave up after 3 attempts"), entry.encode());
    }
  }

  @Test
  void claimsLeftByADeadProcessBecomeUnknownAndAreNotResent() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a", "b");
      // a process that died after claiming the first target
      TargetClaims claims = new TargetClaims(rig.parley.parley().app().store());
      TargetClaims.Claim claimed = DispatchRig.await(rig.parley.parley().app().vertx().getOrCreateContext()
          .<TargetClaims.Claim>executeBlocking(() -> null).compose(v -> claims.claimNext(task, channel, "dead", NINE)).map(TargetClaims.Attempt::claim)
          .toCompletionStage().toCompletableFuture());
      assertEquals("a", claimed.address());
      rig.dispatch(channel, "me");
      rig.scheduler.advance(Duration.ofSeconds(10));
      assertEquals(List.of("b"), rig.sentTo(), "the interrupted target is not sent again");
      JsonObject unknown = rig.audience(task, "unknown").getJsonObject(0);
      assertEquals("a", unknown.getString("address"));
      assertEquals(TargetClaims.INTERRUPTED, unknown.getString("reason"));
      JsonObject t = rig.task(task);
      assertEquals(1L, t.getJsonObject("progress").getLong("unknown"));
      assertEquals("completed", t.getString("status"), "nothing is pending or in flight");

      // the marketer decides to try it again: same message id, so a receiver can recognise a repeat
      io.parley.support.Http.Response wrongState = rig.http.post("/api/tasks/" + task + "/audience/requeue",
          rig.marketer, new JsonObject().put("state", "sent"));
      assertEquals(400, wrongState.status());
      assertEquals("state", wrongState.error().getString("field"));
      JsonObject[] requeued = new JsonObject[1];
      rig.react("requeue", () -> requeued[0] = rig.http.post("/api/tasks/" + task + "/audience/requeue", rig.marketer,
          new JsonObject().put("state", "unknown")).json());
      assertEquals(1L, requeued[0].getLong("requeued"));
      rig.scheduler.advance(Duration.ofSeconds(10));
      assertEquals(List.of("b", "a"), rig.sentTo());
      assertEquals(claimed.messageId(), rig.receiver.deliveries().get(1).webhookId());
      assertEquals("completed", rig.task(task).getString("status"));
      assertEquals(2L, rig.task(task).getJsonObject("progress").getLong("sent"));
    }
  }

  @Test
  void anOpeningClaimedAheadLeavesWhenDueAndGoesBackToPendingIfTheDispatcherStops() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a", "b", "c");
      rig.claimAheadMillis = 500;
      String deployment = rig.dispatch(channel, "me");
      assertEquals(List.of("a"), rig.sentTo(), "the first is due at once");
      assertEquals(NINE.plusMillis(2500), rig.scheduler.next(), "the next claim starts 500 ms before its pause is over");

      rig.scheduler.advance(Duration.ofMillis(2700));
      assertEquals(List.of("a"), rig.sentTo(), "claimed, held until due");
      assertEquals(1, rig.audience(task, "sending").size());
      rig.scheduler.advance(Duration.ofMillis(200));
      assertEquals(List.of("a"), rig.sentTo(), "100 ms before the pause is over");
      rig.scheduler.advance(Duration.ofMillis(100));
      Poll.until("b to leave once due", Duration.ofSeconds(10), rig::sentTo, sent -> sent.size() == 2);
      assertEquals(List.of("a", "b"), rig.sentTo());
      rig.scheduler.awaitQuiet();

      rig.scheduler.advance(Duration.ofMillis(2600)); // c is claimed ahead and held
      assertEquals(1, rig.audience(task, "sending").size());
      rig.undeploy(deployment);
      assertEquals(List.of("a", "b"), rig.sentTo());
      assertEquals(0, rig.audience(task, "sending").size());
      assertEquals(List.of("c"), rig.audience(task, "pending").stream()
          .map(e -> ((JsonObject) e).getString("address")).toList(), "c goes back untried, not unknown");
      Document day = rig.db.find(Collections.CHANNEL_DAYS, DailyLimit.key(channel, TaskPlan.utcDay(NINE)));
      assertEquals(2, day.get("count", Number.class).intValue(), "and its daily slot with it");

      rig.claimAheadMillis = 0;
      rig.dispatch(channel, "me");
      assertEquals(List.of("a", "b", "c"), rig.sentTo(), "a new dispatcher sends it");
    }
  }

  @Test
  void walksEveryPageOfSmallBatchesAndRebuildsALostPage() {
    try (DispatchRig rig = new DispatchRig(NINE, java.util.Map.of("audience.batchSize", "2"))) {
      String channel = rig.channel();
      String task = rig.task(List.of(channel), 0, 24, 100, 3, "Hi", "id", "a", "b", "c", "a", "d");
      assertEquals(1L, rig.upload(task, "id", "c", "e").getLong("duplicates"), "c is already in the task");
      // a process that died after writing a batch but before its page: the page of "e" is missing
      rig.db.update(Collections.TASK_PROGRESS, task, new Document("$set", new Document("audienceSeq", 5000L)));
      io.parley.support.Fixtures.await(rig.parley.parley().app().store().collection(Collections.AUDIENCE_PAGES)
          .deleteOne(new Document("_id", task + ":3")));
      rig.dispatch(channel, "me");
      rig.scheduler.advance(Duration.ofSeconds(60));
      assertEquals(List.of("a", "b", "c", "d", "e"), rig.sentTo(), "each once, in upload order");
      assertEquals("completed", rig.task(task).getString("status"));
    }
  }
}
