package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AI responder against an OpenAI-compatible fake: prompts, usage pricing, tool-call outcomes, 429 and 5xx. */
class OpenAiConversationTest {
  static ConversationRig rig;
  static FakeChatCompletions model;
  static String task;
  static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    rig = new ConversationRig(Map.of("conversation.aiMaxAttempts", "3"));
    model = ConversationRig.await(new FakeChatCompletions().start(rig.parley.parley().app().vertx())
        .toCompletionStage().toCompletableFuture());
    model.answer = (call, req) -> {
      String text = call.lastUserText();
      int n = attempts.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
      if (text.contains("#down")) FakeChatCompletions.error(req, 503, null);
      else if (text.contains("#flaky") && n == 1) FakeChatCompletions.error(req, 429, "7");
      else if (text.contains("#flaky") && n == 2) FakeChatCompletions.error(req, 500, null);
      else if (text.contains("#patience")) FakeChatCompletions.error(req, 429, "3600");
      else if (text.contains("#empty")) FakeChatCompletions.cutOff(req, "", null, 100, 300);
      else if (text.contains("#cut")) FakeChatCompletions.cutOff(req, "Let me check that for you.", "{\"outcome\": \"succ", 100, 300);
      else if (text.contains("yes")) FakeChatCompletions.ok(req, "Wonderful, talk soon!", "success", 200, 20);
      else if (text.contains("bye")) FakeChatCompletions.ok(req, null, "not_interested", 200, 3);
      else FakeChatCompletions.ok(req, "Hello from the model", null, 1000, 50);
    };
    String manager = rig.manager("Vera", "Warm, speaks of the spring webinar.");
    String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "gpt").put("provider", "openai")
        .put("openai", new JsonObject().put("baseUrl", model.baseUrl()).put("apiKey", "sk-test-key").put("model", "gpt-4o-mini")
            .put("temperature", 0.3).put("maxCompletionTokens", 300)
            .put("prices", new JsonObject().put("promptPerMillion", "2.50").put("completionPerMillion", "10"))));
    task = rig.task("incoming", List.of(manager), ai, new JsonObject());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void answersWithTheModelAndPricesItsUsageExactly() {
    rig.writeAndRoute("gpt-1", "Tell me more");
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals("Hello from the model", rig.awaitReplies("gpt-1", 1).get(0).getString("text"));
    FakeChatCompletions.Call call = model.calls.stream().filter(c -> c.lastUserText().equals("Tell me more")).findFirst().orElseThrow();
    assertEquals("Bearer sk-test-key", call.authorization());
    JsonObject body = call.body();
    assertEquals("gpt-4o-mini", body.getString("model"));
    assertEquals(300, body.getInteger("max_completion_tokens"));
    assertEquals(0.3, body.getDouble("temperature"));
    JsonArray messages = body.getJsonArray("messages");
    JsonObject system = messages.getJsonObject(0);
    assertEquals("system", system.getString("role"));
    assertTrue(system.getString("content").contains("Vera") && system.getString("content").contains("spring webinar"), system.encode());
    assertEquals("user", messages.getJsonObject(messages.size() - 1).getString("role"));
    assertEquals("declare_outcome", body.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"));

    // 1000 prompt tokens at 2.50/M + 50 completion tokens at 10/M = 0.0025 + 0.0005
    Document d = Poll.until("the spend to settle", Duration.ofSeconds(10), () -> rig.dialogue("gpt-1"),
        x -> x.get("answeredSeq", Number.class).longValue() == 1);
    assertEquals(0, new BigDecimal("0.003").compareTo(((Decimal128) d.get("spend")).bigDecimalValue()), d.toJson());
    Document reply = rig.messages(d.getString("_id")).get(1);
    assertEquals(0, new BigDecimal("0.003").compareTo(((Decimal128) reply.get("cost")).bigDecimalValue()));

    rig.writeAndRoute("gpt-1", "And the date?");
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.awaitReplies("gpt-1", 2);
    JsonArray second = model.calls.stream().filter(c -> c.lastUserText().equals("And the date?")).findFirst().orElseThrow()
        .body().getJsonArray("messages");
    assertEquals(List.of("system", "user", "assistant", "user"),
        second.stream().map(m -> ((JsonObject) m).getString("role")).toList(), "the history is the context");
    String metrics = rig.http.get("/metrics", TestParley.ADMIN).body();
    assertTrue(metrics.contains("parley_ai_replies_total{provider=\"openai\"}"), "replies by provider are counted");
    assertTrue(metrics.contains("parley_ai_tokens_total{kind=\"prompt\",provider=\"openai\"}"));
  }

  @Test
  void anOutcomeDeclaredByToolCallAnswersThenClosesTheDialogue() {
    rig.outcomes.clear();
    rig.writeAndRoute("gpt-2", "yes, sign me up");
    rig.scheduler.advance(Duration.ofSeconds(3));
    JsonObject event = ConversationRig.next(rig.outcomes);
    assertEquals("success", event.getString("outcome"));
    assertEquals("gpt-2", event.getString("contact"));
    assertEquals("Wonderful, talk soon!", rig.awaitReplies("gpt-2", 1).get(0).getString("text"));
    assertEquals("closed", rig.dialogue("gpt-2").getString("state"));
  }

  @Test
  void anOutcomeWithoutTextClosesWithoutAReply() {
    rig.outcomes.clear();
    rig.writeAndRoute("gpt-3", "bye");
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals("not_interested", ConversationRig.next(rig.outcomes).getString("outcome"));
    assertEquals("closed", rig.dialogue("gpt-3").getString("state"));
    assertTrue(rig.repliesTo("gpt-3").isEmpty());
  }

  @Test
  void a429IsWaitedOutAsAskedAndA500RetriedWithBackoff() {
    rig.writeAndRoute("gpt-4", "hello #flaky");
    rig.scheduler.advance(Duration.ofSeconds(3));
    Poll.until("the 429", Duration.ofSeconds(10), () -> attempts.get("hello #flaky"), n -> n != null && n.get() == 1);
    Poll.until("the retry to be scheduled", Duration.ofSeconds(10), rig.scheduler::size, n -> n > 0);
    rig.scheduler.advance(Duration.ofSeconds(6));
    assertEquals(1, attempts.get("hello #flaky").get(), "Retry-After: 7 is honoured");
    rig.scheduler.advance(Duration.ofSeconds(1));
    Poll.until("the 500", Duration.ofSeconds(10), () -> attempts.get("hello #flaky").get(), n -> n == 2);
    Poll.until("the backoff to be scheduled", Duration.ofSeconds(10), rig.scheduler::size, n -> n > 0);
    rig.scheduler.advance(Duration.ofSeconds(2));
    assertEquals("Hello from the model", rig.awaitReplies("gpt-4", 1).get(0).getString("text"));
    assertEquals("open", rig.dialogue("gpt-4").getString("state"));
  }

  @Test
  void aProviderThatKeepsFailingHandsTheDialogueToItsManager() {
    rig.updates.clear();
    rig.writeAndRoute("gpt-5", "anyone? #down");
    rig.scheduler.advance(Duration.ofSeconds(3));
    for (int n = 1; n < 3; n++) {
      int seen = n;
      Poll.until("attempt " + n, Duration.ofSeconds(10), () -> attempts.get("anyone? #down"), a -> a != null && a.get() == seen);
      Poll.until("the retry to be scheduled", Duration.ofSeconds(10), rig.scheduler::size, p -> p > 0);
      rig.scheduler.advance(Duration.ofSeconds(10));
    }
    Document d = Poll.until("the hand-over", Duration.ofSeconds(10), () -> rig.dialogue("gpt-5"),
        x -> "human".equals(x.getString("state")));
    assertTrue(d.getString("stateReason").startsWith("AI provider failed: AI provider answered 503"), d.getString("stateReason"));
    assertEquals(3, attempts.get("anyone? #down").get());
    assertTrue(rig.repliesTo("gpt-5").isEmpty());
    assertEquals(0, BigDecimal.ZERO.compareTo(((Decimal128) d.get("spend")).bigDecimalValue()), "the reservation was given back");
    assertEquals(0L, rig.db.count(Collections.MESSAGES, new Document("dialogue", d.getString("_id")).append("author", "ai")));
  }

  @Test
  void anAnswerWithNeitherTextNorOutcomeHandsTheDialogueOverAndIsCharged() {
    rig.writeAndRoute("gpt-6", "tell me everything #empty");
    rig.scheduler.advance(Duration.ofSeconds(3));
    Document d = Poll.until("the hand-over", Duration.ofSeconds(10), () -> rig.dialogue("gpt-6"),
        x -> "human".equals(x.getString("state")));
    assertEquals("AI provider failed: AI provider answered no text and no outcome (finish_reason length)",
        d.getString("stateReason"));
    assertEquals(1, attempts.get("tell me everything #empty").get(), "the same request would spend its tokens the same way");
    // 100 prompt tokens at 2.50/M + 300 completion tokens at 10/M, charged though nothing was written
    assertEquals(0, new BigDecimal("0.00325").compareTo(((Decimal128) d.get("spend")).bigDecimalValue()), d.toJson());
    assertTrue(rig.repliesTo("gpt-6").isEmpty());
    assertEquals(0L, d.get("answeredSeq", Number.class).longValue(), "the contact's message waits for the manager");
  }

  @Test
  void anOutcomeCallCutOffIsIgnoredAndTheTextStillGoesOut() {
    rig.outcomes.clear();
    rig.writeAndRoute("gpt-7", "can you check #cut");
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals("Let me check that for you.", rig.awaitReplies("gpt-7", 1).get(0).getString("text"));
    Document d = Poll.until("the reply's record", Duration.ofSeconds(10), () -> rig.dialogue("gpt-7"),
        x -> x.get("answeredSeq", Number.class).longValue() == 1);
    assertEquals("open", d.getString("state"));
    assertNull(d.getString("outcome"));
    assertEquals(0, new BigDecimal("0.00325").compareTo(((Decimal128) d.get("spend")).bigDecimalValue()), d.toJson());
  }

  /** A Retry-After longer than a reply may take (the burst's claim would run out meanwhile) is not waited for. */
  @Test
  void aRetryAfterLongerThanAReplyMayTakeHandsTheDialogueOver() {
    rig.writeAndRoute("gpt-8", "hello #patience");
    rig.scheduler.advance(Duration.ofSeconds(3));
    Document d = Poll.until("the hand-over", Duration.ofSeconds(10), () -> rig.dialogue("gpt-8"),
        x -> "human".equals(x.getString("state")));
    assertEquals("AI provider failed: AI provider answered 429: " + new JsonObject().put("error", new JsonObject()
        .put("message", "try later").put("type", "server_error")).encode() + ", and asked to wait 3600 s: longer than a reply"
        + " may take", d.getString("stateReason"));
    assertEquals(1, attempts.get("hello #patience").get());
  }
}
