package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.App;
import io.parley.store.Collections;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spend cap: every call costs exactly 1.00 USD (10 completion tokens at 0.10, prompts free, at most 10
 * completion tokens), the cap is 2.00. Bursts are answered at once (window 0) so calls can overlap.
 */
class SpendCapTest {
  static ConversationRig rig;
  static FakeChatCompletions model;
  static final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  static volatile boolean hold;

  @BeforeAll
  static void start() {
    rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"));
    model = ConversationRig.await(new FakeChatCompletions().start(rig.parley.parley().app().vertx())
        .toCompletionStage().toCompletableFuture());
    model.answer = (call, req) -> {
      if (hold) held.add(req);
      else FakeChatCompletions.ok(req, "Reply to " + call.lastUserText(), null, 0, 10);
    };
    String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "priced").put("provider", "openai")
        .put("openai", new JsonObject().put("baseUrl", model.baseUrl()).put("model", "m").put("maxCompletionTokens", 10)
            .put("prices", new JsonObject().put("promptPerMillion", "0").put("completionPerMillion", "100000"))));
    rig.task("incoming", List.of(rig.manager("Anna", "")), ai, new JsonObject().put("spendLimitPerDialogue", "2.00"));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  static BigDecimal spend(Document dialogue) {
    return ((Decimal128) dialogue.get("spend")).bigDecimalValue();
  }

  @Test
  void theReplyThatReachesTheCapExactlyIsSentAndTheDialogueIsBlocked() {
    rig.blocked.clear();
    rig.writeAndRoute("cap-1", "one");
    rig.awaitReplies("cap-1", 1);
    rig.writeAndRoute("cap-1", "two");
    rig.awaitReplies("cap-1", 2);
    JsonObject event = ConversationRig.next(rig.blocked);
    Document d = rig.dialogue("cap-1");
    assertEquals(d.getString("_id"), event.getString("dialogueId"));
    assertEquals("spend cap reached", event.getString("reason"));
    assertEquals(d.getString("manager"), event.getString("manager"));
    assertEquals("blocked", d.getString("state"));
    assertEquals(0, new BigDecimal("2.00").compareTo(spend(d)), "exactly at the cap: " + spend(d));

    int calls = model.calls.size();
    rig.writeAndRoute("cap-1", "three");
    assertEquals(calls, model.calls.size(), "no call once blocked");
    assertEquals(2, rig.repliesTo("cap-1").size());
    assertEquals(5, rig.messages(d.getString("_id")).size(), "the third message is stored");
  }

  /** Below the cap, but with less left than a reply may cost: blocked all the same, and the reason says so. */
  @Test
  void tooLittleLeftForAReplyBlocksTheDialogueWithTheAmounts() {
    rig.blocked.clear();
    rig.writeAndRoute("left-1", "one");
    rig.awaitReplies("left-1", 1);
    String id = rig.dialogue("left-1").getString("_id");
    rig.db.update(Collections.DIALOGUES, id, new Document("$set", new Document("spend", new Decimal128(new BigDecimal("1.50")))));
    int calls = model.calls.size();
    rig.writeAndRoute("left-1", "two");
    JsonObject event = ConversationRig.next(rig.blocked);
    assertEquals(id, event.getString("dialogueId"));
    String reason = "spend cap reached: 0.5 of 2 USD left, and a reply may cost up to 1 USD";
    assertEquals(reason, event.getString("reason"));
    Document d = rig.dialogue("left-1");
    assertEquals("blocked", d.getString("state"));
    assertEquals(reason, d.getString("stateReason"));
    assertEquals(calls, model.calls.size(), "no call that might pass the cap");
    assertEquals(1, rig.repliesTo("left-1").size());
  }

  @Test
  void overlappingRepliesNeverSpendPastTheCap() {
    hold = true;
    try {
      rig.writeAndRoute("race-1", "first");
      Poll.until("the first call", Duration.ofSeconds(10), held::size, n -> n == 1);
      rig.writeAndRoute("race-1", "second");
      Poll.until("the second call, while the first is in flight", Duration.ofSeconds(10), held::size, n -> n == 2);
      rig.writeAndRoute("race-1", "third"); // its 1.00 does not fit beside the two reserved: it waits for them
      Poll.until("the third to wait", Duration.ofSeconds(10), rig.scheduler::size, n -> n > 0);
      assertEquals("open", rig.dialogue("race-1").getString("state"));
      assertEquals(2, held.size(), "no third call");
    } finally {
      hold = false;
    }
    for (HttpServerRequest req : held) {
      FakeChatCompletions.ok(req, "late reply", null, 0, 10);
    }
    held.clear();
    rig.awaitReplies("race-1", 2);
    Poll.until("both calls to settle", Duration.ofSeconds(10), () -> rig.dialogue("race-1"),
        x -> x.get("answeredSeq", Number.class).longValue() >= 2 && spend(x).compareTo(new BigDecimal("2.00")) == 0);
    rig.scheduler.advance(Duration.ofSeconds(1)); // the third tries again: 2.00 spent, the cap is reached
    Document blocked = Poll.until("the third to be refused", Duration.ofSeconds(10), () -> rig.dialogue("race-1"),
        d -> "blocked".equals(d.getString("state")));
    assertEquals("spend cap reached", blocked.getString("stateReason"));
    assertEquals(0, new BigDecimal("2.00").compareTo(spend(blocked)), spend(blocked).toPlainString());
    assertEquals(2, rig.repliesTo("race-1").size());
  }

  /**
   * Reservations are worst cases: a reply that does not fit beside the ones under way waits for them to
   * settle, and goes ahead when they cost less than they reserved.
   */
  @Test
  void aReplyWaitingForOthersGoesAheadWhenTheyCostLessThanReserved() {
    hold = true;
    try {
      rig.writeAndRoute("cheap-1", "first");
      rig.writeAndRoute("cheap-1", "second");
      Poll.until("two calls in flight", Duration.ofSeconds(10), held::size, n -> n == 2);
      rig.writeAndRoute("cheap-1", "third");
      Poll.until("the third to wait", Duration.ofSeconds(10), rig.scheduler::size, n -> n > 0);
    } finally {
      hold = false;
    }
    for (HttpServerRequest req : held) {
      FakeChatCompletions.ok(req, "short", null, 0, 1); // 1 token: 0.10 each
    }
    held.clear();
    Poll.until("both calls to settle", Duration.ofSeconds(10), () -> rig.dialogue("cheap-1"),
        x -> spend(x).compareTo(new BigDecimal("0.20")) == 0 && x.get("reservations", Document.class).isEmpty());
    rig.scheduler.advance(Duration.ofSeconds(1));
    rig.awaitReplies("cheap-1", 3);
    Document d = Poll.until("the third to settle", Duration.ofSeconds(10), () -> rig.dialogue("cheap-1"),
        x -> x.get("answeredSeq", Number.class).longValue() == 3);
    assertEquals("open", d.getString("state"));
    assertEquals(0, new BigDecimal("1.20").compareTo(spend(d)), spend(d).toPlainString());
  }

  @Test
  void aManagerWhoTakesOverDuringTheCallGetsTheDialogueWithoutTheAiReply() throws Exception {
    rig.writeAndRoute("cap-taken", "one");
    rig.awaitReplies("cap-taken", 1);
    HttpServerRequest call = heldCall(() -> rig.writeAndRoute("cap-taken", "two"));
    String id = rig.dialogue("cap-taken").getString("_id");
    assertEquals("human", rig.http.post("/api/dialogues/" + id + "/takeover", TestParley.ADMIN, null).json().getString("state"));
    rig.blocked.clear();
    FakeChatCompletions.ok(call, "late reply", null, 0, 10);

    Document dropped = droppedReply(id);
    assertEquals("late reply", dropped.getString("text"));
    assertEquals("not sent: the dialogue became human while the AI wrote it", dropped.getString("reason"));
    assertEquals(0, BigDecimal.ONE.compareTo(((Decimal128) dropped.get("cost")).bigDecimalValue()));
    Document d = rig.dialogue("cap-taken");
    assertEquals(0, new BigDecimal("2.00").compareTo(spend(d)), "the call is paid for: " + spend(d));
    assertEquals("human", d.getString("state"));
    assertEquals(1L, d.get("answeredSeq", Number.class).longValue(), "the manager answers the second message");
    assertNull(rig.blocked.poll(1, java.util.concurrent.TimeUnit.SECONDS), "the cap does not take the dialogue from its manager");
    assertEquals(1, rig.repliesTo("cap-taken").size());
    String metrics = rig.http.get("/metrics", null).body();
    assertTrue(metrics.contains("parley_ai_dropped_total{provider=\"openai\",state=\"human\"} 1.0"), metrics);
  }

  @Test
  void aContactWhoOptsOutDuringTheCallGetsOnlyTheConfirmation() throws Exception {
    HttpServerRequest call = heldCall(() -> rig.writeAndRoute("quits-1", "hello"));
    rig.writeAndRoute("quits-1", "STOP");
    assertEquals("closed", Poll.until("the opt-out", Duration.ofSeconds(10), () -> rig.dialogue("quits-1"),
        d -> "closed".equals(d.getString("state"))).getString("state"));
    List<JsonObject> confirmation = rig.awaitReplies("quits-1", 1);
    FakeChatCompletions.ok(call, "Glad you asked!", null, 0, 10);

    Document dropped = droppedReply(rig.dialogue("quits-1").getString("_id"));
    assertEquals("not sent: the dialogue became closed while the AI wrote it", dropped.getString("reason"));
    assertEquals(confirmation, rig.repliesTo("quits-1"), "nothing after the confirmation");
    assertTrue(rig.http.get("/metrics", null).body().contains("parley_ai_dropped_total{provider=\"openai\",state=\"closed\"} 1.0"));
  }

  /** The AI call {@code writes} causes, held unanswered. */
  private static HttpServerRequest heldCall(Runnable writes) {
    int before = held.size();
    hold = true;
    try {
      writes.run();
      Poll.until("the call to be held", Duration.ofSeconds(10), held::size, n -> n == before + 1);
    } finally {
      hold = false;
    }
    return held.remove(before); // the other tests count held calls from 0
  }

  private static Document droppedReply(String dialogueId) {
    return Poll.until("the dropped reply to be recorded", Duration.ofSeconds(10), () -> rig.messages(dialogueId).stream()
        .filter(m -> "dropped".equals(m.getString("status"))).findFirst().orElse(null), m -> m != null);
  }

  @Test
  void concurrentReservationsNeverGrantMoreThanFits() throws Exception {
    App app = rig.parley.parley().app();
    rig.db.insert(Collections.DIALOGUES, new Document("_id", "spend-race").append("spend", new Decimal128(BigDecimal.ZERO))
        .append("createdAt", new Date()));
    SpendCap cap = new SpendCap(app.store(), Duration.ofMinutes(10));
    Instant now = Instant.now();
    Promise<List<SpendCap.Reservation>> all = Promise.promise();
    app.vertx().getOrCreateContext().runOnContext(v -> {
      List<Future<SpendCap.Reservation>> tries = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tries.add(cap.reserve("spend-race", "t" + i, new BigDecimal("0.25"), new BigDecimal("2.50"), now));
      }
      Future.all(tries).map(f -> f.<SpendCap.Reservation>list()).onComplete(all);
    });
    List<SpendCap.Reservation> results = all.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    long n = results.stream().filter(r -> r.verdict() == SpendCap.Verdict.GRANTED).count();
    assertTrue(n >= 1 && n <= 10, n + " reservations granted");
    assertTrue(results.stream().allMatch(r -> r.verdict() == SpendCap.Verdict.GRANTED || r.verdict() == SpendCap.Verdict.BUSY),
        "a refusal while others hold reservations is a wait, not the cap: " + results);
    Document d = rig.db.find(Collections.DIALOGUES, "spend-race");
    BigDecimal reserved = d.get("reservations", Document.class).values().stream()
        .map(r -> ((Decimal128) ((Document) r).get("amount")).bigDecimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertEquals(0, new BigDecimal("0.25").multiply(BigDecimal.valueOf(n)).compareTo(reserved), "reserved " + reserved + " for " + n);
    assertEquals(0, BigDecimal.ZERO.compareTo(spend(d)), "a reservation is not spend");
  }

  /** A reservation left by a responder that stopped during its call stops counting once the reply lease ran out. */
  @Test
  void aReservationOlderThanTheLeaseNoLongerCounts() throws Exception {
    App app = rig.parley.parley().app();
    Instant now = Instant.parse("2026-03-02T12:00:00Z");
    Document crashed = new Document("amount", new Decimal128(new BigDecimal("1.90")));
    rig.db.insert(Collections.DIALOGUES, new Document("_id", "spend-crash").append("spend", new Decimal128(new BigDecimal("0.10")))
        .append("reservations", new Document("r1", new Document(crashed).append("at", Date.from(now.minusSeconds(599))))
            .append("r2", new Document(crashed).append("at", Date.from(now.minusSeconds(601)))))
        .append("createdAt", new Date()));
    SpendCap cap = new SpendCap(app.store(), Duration.ofMinutes(10));
    SpendCap.Reservation waits = reserve(app, cap, "r3", now);
    assertEquals(SpendCap.Verdict.BUSY, waits.verdict(), "r1 is still within its lease");
    Document after = rig.db.find(Collections.DIALOGUES, "spend-crash");
    assertEquals(java.util.Set.of("r1"), after.get("reservations", Document.class).keySet(), "r2 ran out and is removed");

    SpendCap.Reservation fits = reserve(app, cap, "r3", now.plusSeconds(2));
    assertEquals(SpendCap.Verdict.GRANTED, fits.verdict(), "both ran out: 0.10 spent + 1.00 fits under 2.00");
    Document settled = await(app, () -> cap.settle("spend-crash", "r3", "no-such-task", new BigDecimal("0.40")));
    assertEquals(0, new BigDecimal("0.50").compareTo(spend(settled)), "what was spent, without what a crash left reserved");
  }

  private static SpendCap.Reservation reserve(App app, SpendCap cap, String key, Instant now) throws Exception {
    return await(app, () -> cap.reserve("spend-crash", key, BigDecimal.ONE, new BigDecimal("2.00"), now));
  }

  private static <T> T await(App app, java.util.function.Supplier<Future<T>> call) throws Exception {
    Promise<T> done = Promise.promise();
    app.vertx().getOrCreateContext().runOnContext(v -> call.get().onComplete(done));
    return done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
