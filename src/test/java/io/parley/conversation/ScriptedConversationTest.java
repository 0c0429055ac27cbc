package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.support.Fixtures;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contacts who write first to an incoming task, answered by the scripted responder through the web channel. */
class ScriptedConversationTest {
  static ConversationRig rig;
  static String anna;
  static String boris;
  static String task;

  @BeforeAll
  static void start() {
    rig = new ConversationRig(Map.of());
    anna = rig.manager("Anna", "Friendly and brief.");
    boris = rig.manager("Boris", "Formal.");
    String ai = rig.scripted(new JsonArray()
            .add(ConversationRig.rule("yes|call me", "Great, {{manager}} will call you.", "success"))
            .add(ConversationRig.rule("not interested", "Sorry to bother you.", "not_interested"))
            .add(ConversationRig.rule("price", "It is free, {{address}}.", null)),
        "Hi, this is {{manager}}. Would you like to join the webinar?");
    task = rig.task("incoming", List.of(anna, boris), ai, new JsonObject());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void aContactWhoWritesFirstGetsADialogueAndAnAnswerInThePersona() {
    rig.writeAndRoute("walk-in-1", "Hello there");
    Document d = rig.dialogue("walk-in-1");
    assertNotNull(d);
    assertEquals("incoming", d.getString("origin"));
    assertEquals(task, d.getString("task"));
    assertEquals("open", d.getString("state"));
    assertTrue(List.of(anna, boris).contains(d.getString("manager")));
    List<Document> stored = rig.messages(d.getString("_id"));
    assertEquals(1, stored.size());
    assertEquals("contact", stored.get(0).getString("author"));
    assertEquals("in", stored.get(0).getString("direction"));
    assertTrue(rig.repliesTo("walk-in-1").isEmpty(), "nothing is answered before the burst window passed");

    rig.scheduler.advance(Duration.ofSeconds(3));
    JsonObject reply = rig.awaitReplies("walk-in-1", 1).get(0);
    String name = d.getString("manager").equals(anna) ? "Anna" : "Boris";
    assertEquals("Hi, this is " + name + ". Would you like to join the webinar?", reply.getString("text"));
    assertEquals(d.getString("_id"), reply.getString("dialogueId"));
    List<Document> after = Poll.until("the reply to be stored", Duration.ofSeconds(10),
        () -> rig.messages(d.getString("_id")), m -> m.size() == 2);
    Document out = after.get(1);
    assertEquals("ai", out.getString("author"));
    assertEquals("out", out.getString("direction"));
    assertEquals("sent", out.getString("status"));
    assertNotNull(out.getString("platformMessageId"));
    assertTrue(rig.db.find(Collections.TASK_PROGRESS, task).get("stats", Document.class).get("dialogues", Number.class).longValue() >= 1,
        "the task counts the dialogue");
  }

  @Test
  void newDialoguesAreSpreadAmongTheManagersInTurn() {
    rig.writeAndRoute("turn-1", "hi");
    rig.writeAndRoute("turn-2", "hi");
    assertNotEquals(rig.dialogue("turn-1").getString("manager"), rig.dialogue("turn-2").getString("manager"));
  }

  @Test
  void aNewContactsSimultaneousFirstMessagesTakeOneManagersTurn() {
    long before = managerTurn();
    ExecutorService contact = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Integer>> sent = IntStream.range(0, 16)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> rig.write("rush-1", "hi " + i), contact)).toList();
      sent.forEach(status -> assertEquals(200, status.join()));
    } finally {
      contact.shutdown();
    }
    rig.awaitRouted();
    assertEquals(16, rig.messages(rig.dialogue("rush-1").getString("_id")).size());
    assertEquals(before + 1, managerTurn(), "one dialogue opened: one turn taken");
  }

  private static long managerTurn() {
    Document progress = rig.db.find(Collections.TASK_PROGRESS, task);
    Number turn = progress == null ? null : progress.get("managerTurn", Number.class);
    return turn == null ? 0 : turn.longValue();
  }

  @Test
  void aBurstIsAnsweredOnceTogether() {
    rig.writeAndRoute("burst-1", "Hello");
    rig.writeAndRoute("burst-1", "what is the price?");
    rig.writeAndRoute("burst-1", "and when?");
    rig.scheduler.advance(Duration.ofSeconds(3));
    List<JsonObject> replies = rig.awaitReplies("burst-1", 1);
    assertEquals("It is free, burst-1.", replies.get(0).getString("text"), "the rule saw the whole burst");

    rig.writeAndRoute("burst-1", "ok thanks");
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.awaitReplies("burst-1", 2);
    Document d = Poll.until("the second burst to be marked answered", Duration.ofSeconds(10), () -> rig.dialogue("burst-1"),
        dialogue -> dialogue.get("answeredSeq", Number.class).longValue() == 4);
    assertEquals(2, rig.repliesTo("burst-1").size(), "three messages then one: two answers");
    assertEquals(4L, d.get("inSeq", Number.class).longValue());
    assertEquals(6, rig.awaitMessages(d.getString("_id"), 6).size());
  }

  @Test
  void repeatedNoticesOfOneBurstAnswerItOnce() {
    rig.writeAndRoute("echo-1", "what is the price?");
    rig.writeAndRoute("echo-2", "what is the price?");
    String id = rig.dialogue("echo-1").getString("_id");
    var bus = rig.parley.parley().app().vertx().eventBus();
    rig.scheduler.advance(Duration.ofSeconds(3)); // the router's own notices
    for (int i = 0; i < 10; i++) { // and the same burst again, with and without its number, to both responders
      bus.send(EventAddresses.REPLY_DUE, new JsonObject().put("dialogueId", id).put("seq", 1L));
      bus.send(EventAddresses.REPLY_DUE, new JsonObject().put("dialogueId", id));
    }
    bus.send(EventAddresses.REPLY_DUE, new JsonObject().put("dialogueId", id).put("seq", 2L)); // a burst that never came
    rig.awaitReplies("echo-1", 1);
    rig.awaitReplies("echo-2", 1);
    Document d = Poll.until("the burst to be marked answered", Duration.ofSeconds(10), () -> rig.dialogue("echo-1"),
        dialogue -> dialogue.get("answeredSeq", Number.class).longValue() == 1);
    assertEquals(1L, d.get("replyClaim", Number.class).longValue());

    rig.writeAndRoute("echo-2", "and when?"); // a later message on another dialogue, answered after the notices above
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.awaitReplies("echo-2", 2);
    assertEquals(1, rig.repliesTo("echo-1").size());
    assertEquals(2, rig.messages(id).size(), "one message in, one answer out");
  }

  @Test
  void aMessageForADialogueThatIsGoneOpensItAgain() {
    rig.writeAndRoute("lost-1", "Hello");
    String id = rig.dialogue("lost-1").getString("_id");
    Fixtures.await(rig.parley.parley().app().store().collection(Collections.DIALOGUES).deleteOne(new Document("_id", id)));

    rig.writeAndRoute("lost-1", "what is the price?");
    Document again = rig.dialogue("lost-1");
    assertNotNull(again, "the contact's key still names the dialogue, which is opened again");
    assertEquals(id, again.getString("_id"));
    assertEquals(1L, again.get("inSeq", Number.class).longValue(), "only the new message counts");
    assertEquals(2, rig.messages(id).size());
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals("It is free, lost-1.", rig.awaitReplies("lost-1", 1).get(0).getString("text"));
  }

  @Test
  void aMessageInsideTheWindowPostponesTheAnswer() {
    rig.writeAndRoute("late-1", "Hello");
    rig.scheduler.advance(Duration.ofSeconds(2));
    rig.writeAndRoute("late-1", "price?");
    rig.scheduler.advance(Duration.ofSeconds(1));
    rig.scheduler.advance(Duration.ofSeconds(2));
    List<JsonObject> replies = rig.awaitReplies("late-1", 1);
    assertEquals("It is free, late-1.", replies.get(0).getString("text"));
  }

  @Test
  void aRuleWithAnOutcomeAnswersThenClosesTheDialogue() {
    rig.outcomes.clear();
    rig.writeAndRoute("yes-1", "Yes, call me tomorrow");
    rig.scheduler.advance(Duration.ofSeconds(3));
    JsonObject event = ConversationRig.next(rig.outcomes);
    Document d = rig.dialogue("yes-1");
    assertEquals(d.getString("_id"), event.getString("dialogueId"));
    assertEquals(task, event.getString("taskId"));
    assertEquals(rig.channel, event.getString("channelId"));
    assertEquals("yes-1", event.getString("contact"));
    assertEquals("success", event.getString("outcome"));
    assertEquals(true, event.getBoolean("closed"));
    assertEquals("ai", event.getString("by"));
    assertNotNull(event.getString("at"));
    assertTrue(rig.repliesTo("yes-1").get(0).getString("text").endsWith("will call you."));
    assertEquals("closed", d.getString("state"));
    assertEquals("success", d.getString("outcome"));
    JsonObject shown = rig.http.get("/api/dialogues/" + d.getString("_id"), TestParley.ADMIN).json();
    assertEquals(rig.clock.instant().toString(), shown.getString("closedAt"), "closed when the AI declared the outcome");
    assertEquals("ai", d.getString("closedBy"));

    rig.writeAndRoute("yes-1", "hello again?");
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals(1, rig.repliesTo("yes-1").size(), "a closed dialogue only stores");
    assertEquals(3, rig.messages(d.getString("_id")).size());
  }

  /**
   * Nobody answers a closed dialogue, so a contact who writes into one again is a reply task for its manager:
   * one task however many messages; a stop word is no such message.
   */
  @Test
  void aContactWritingIntoAClosedDialogueGetsTheManagersAttention() {
    rig.writeAndRoute("later-1", "not interested, thanks");
    rig.scheduler.advance(Duration.ofSeconds(3));
    String id = io.parley.support.Poll.until("the dialogue closed", Duration.ofSeconds(10), () -> rig.dialogue("later-1"),
        d -> "closed".equals(d.getString("state"))).getString("_id");
    assertEquals(List.of(), replyTasks(id), "closed by the AI: nothing to do");

    rig.writeAndRoute("later-1", "Actually, what does it cost?");
    rig.writeAndRoute("later-1", "Hello?");
    List<Document> tasks = io.parley.support.Poll.until("one reply task with both", Duration.ofSeconds(10), () -> replyTasks(id),
        t -> t.size() == 1 && t.get(0).getList("messages", String.class).size() == 2);
    Document d = rig.dialogue("later-1");
    assertEquals(d.getString("manager"), tasks.get(0).getString("assignedTo"));
    assertEquals("wrote after it closed: outcome not_interested", tasks.get(0).getString("reason"));
    List<String> written = rig.messages(id).stream().filter(m -> "in".equals(m.getString("direction")))
        .map(m -> m.getString("_id")).toList();
    assertEquals(written.subList(1, 3), tasks.get(0).getList("messages", String.class));
    assertEquals(1, rig.repliesTo("later-1").size(), "the AI does not answer a closed dialogue");

    rig.writeAndRoute("later-1", "STOP");
    io.parley.support.Poll.until("the confirmation", Duration.ofSeconds(10), () -> rig.repliesTo("later-1"), r -> r.size() == 2);
    rig.writeAndRoute("later-1", "Sorry, wrong button");
    List<String> after = rig.messages(id).stream().filter(m -> "in".equals(m.getString("direction")))
        .map(m -> m.getString("_id")).toList();
    List<String> joined = io.parley.support.Poll.until("the last message to join", Duration.ofSeconds(10),
        () -> replyTasks(id).get(0).getList("messages", String.class), m -> m.contains(after.get(4)));
    assertEquals(List.of(after.get(1), after.get(2), after.get(4)), joined, "a stop word waits for nobody");
  }

  private static List<Document> replyTasks(String dialogueId) {
    return io.parley.support.Fixtures.all(rig.parley.parley().app().store().collection(io.parley.store.Collections.MANAGER_TASKS)
        .find(new Document("dialogue", dialogueId).append("type", "dialogue_reply")));
  }

  @Test
  void aManagersCloseWhileTheReplyIsSentKeepsTheManagersOutcome() {
    var normal = rig.answer;
    List<io.vertx.ext.web.RoutingContext> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    rig.answer = ctx -> {
      if ("race-1".equals(ctx.body().asJsonObject().getString("to"))) held.add(ctx);
      else normal.accept(ctx);
    };
    double overruled = overruled("success");
    try {
      rig.writeAndRoute("race-1", "yes, call me");
      rig.scheduler.advance(Duration.ofSeconds(3));
      Poll.until("the reply on its way", Duration.ofSeconds(10), held::size, n -> n == 1);
      String id = rig.dialogue("race-1").getString("_id");
      assertEquals(200, rig.http.post("/api/dialogues/" + id + "/close", TestParley.ADMIN,
          new JsonObject().put("outcome", "not_interested")).status());
      normal.accept(held.get(0)); // the channel takes the reply now; the rule's outcome was success
      Poll.until("the reply to be recorded", Duration.ofSeconds(10), () -> rig.messages(id),
          m -> m.stream().anyMatch(x -> "ai".equals(x.getString("author")) && "sent".equals(x.getString("status"))));
      Poll.until("the AI's outcome to be turned down", Duration.ofSeconds(10), () -> overruled("success"),
          n -> n == overruled + 1);
      Document d = rig.dialogue("race-1");
      assertEquals("not_interested", d.getString("outcome"), d.toJson());
      assertEquals("closed", d.getString("state"));
      assertTrue(rig.outcomes.stream().noneMatch(e -> id.equals(e.getString("dialogueId")) && "success".equals(e.getString("outcome"))),
          rig.outcomes.toString());
    } finally {
      rig.answer = normal;
    }
  }

  /** How many of the AI's {@code outcome} declarations came after a manager's and were not recorded. */
  private static double overruled(String outcome) {
    var counter = rig.parley.parley().app().registry().find("parley.ai.outcomes.overruled").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aReplyWaitingForTheChannelIsWithdrawnWhenTheContactOptsOutMeanwhile() {
    var normal = rig.answer;
    rig.answer = ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      if ("wait-1".equals(body.getString("to")) && body.getString("text").startsWith("Hi, this is")) {
        ctx.response().setStatusCode(503).putHeader("Retry-After", "30").end(); // busy: come back in 30 s
      } else {
        normal.accept(ctx);
      }
    };
    try {
      rig.writeAndRoute("wait-1", "hello");
      rig.scheduler.advance(Duration.ofSeconds(3));
      rig.awaitReplies("wait-1", 1);
      Poll.until("the retry to be scheduled", Duration.ofSeconds(10), rig.scheduler::size, n -> n > 0);
      rig.writeAndRoute("wait-1", "STOP");
      assertEquals(2, rig.awaitReplies("wait-1", 2).size(), "the opt-out's confirmation");
      String id = rig.dialogue("wait-1").getString("_id");
      assertEquals("closed", rig.dialogue("wait-1").getString("state"));

      rig.scheduler.advance(Duration.ofSeconds(30));
      Document dropped = Poll.until("the withdrawn reply", Duration.ofSeconds(10), () -> rig.messages(id).stream()
          .filter(m -> "dropped".equals(m.getString("status"))).findFirst().orElse(null), m -> m != null);
      assertEquals("not sent: the dialogue became closed while the reply waited for the channel", dropped.getString("reason"));
      assertEquals("ai", dropped.getString("author"));
      assertEquals(2, rig.repliesTo("wait-1").size(), "nothing after the confirmation");
      assertEquals("opted_out", rig.dialogue("wait-1").getString("outcome"));
    } finally {
      rig.answer = normal;
    }
  }

  @Test
  void aReplyTheReceiverRefusesIsRecordedAsFailedWithTheReason() {
    var normal = rig.answer;
    rig.answer = ctx -> {
      if ("refused-1".equals(ctx.body().asJsonObject().getString("to"))) ctx.response().setStatusCode(400).end("no such visitor");
      else normal.accept(ctx);
    };
    try {
      rig.writeAndRoute("refused-1", "hello");
      rig.scheduler.advance(Duration.ofSeconds(3));
      rig.awaitReplies("refused-1", 1);
      String id = rig.dialogue("refused-1").getString("_id");
      Document out = Poll.until("the failure to be recorded", Duration.ofSeconds(10), () -> rig.messages(id),
          m -> m.size() == 2).get(1);
      assertEquals("failed", out.getString("status"));
      assertEquals("receiver refused (400): no such visitor", out.getString("reason"));
      assertEquals("open", rig.dialogue("refused-1").getString("state"));
      JsonObject shown = rig.http.get("/api/dialogues/" + id, TestParley.ADMIN).json().getJsonArray("messages").getJsonObject(1);
      assertEquals("failed", shown.getString("status"));
      assertEquals("receiver refused (400): no such visitor", shown.getString("reason"), shown.encode());
    } finally {
      rig.answer = normal;
    }
  }

  @Test
  void aHumanDialogueGoesToTheManagersFeedNotTheAi() {
    rig.writeAndRoute("human-1", "first");
    Document d = rig.dialogue("human-1");
    rig.db.update(Collections.DIALOGUES, d.getString("_id"), new Document("$set", new Document("state", "human")));
    rig.updates.clear();
    rig.writeAndRoute("human-1", "is anybody there?");
    JsonObject update = ConversationRig.next(rig.updates);
    assertEquals(d.getString("_id"), update.getString("dialogueId"));
    assertEquals("message", update.getString("kind"));
    assertEquals(d.getString("manager"), update.getString("manager"));
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.writeAndRoute("control-1", "hi");
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.awaitReplies("control-1", 1);
    assertTrue(rig.repliesTo("human-1").isEmpty());
  }

  @Test
  void aMessageDeliveredAgainAfterItWasRoutedIsStoredPublishedAndAnsweredOnce() {
    assertEquals(200, rig.write(rig.channel, "again-1", "what is the price?", "site-again-1"));
    rig.awaitRouted();
    String id = rig.dialogue("again-1").getString("_id");
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.awaitReplies("again-1", 1);
    Poll.until("the burst to be answered", Duration.ofSeconds(10), () -> rig.dialogue("again-1"),
        d -> d.get("answeredSeq", Number.class).longValue() == 1);
    rig.updates.clear();

    assertEquals(200, rig.write(rig.channel, "again-1", "what is the price?", "site-again-1")); // the platform repeats it
    rig.awaitRouted();
    assertEquals(200, rig.write(rig.channel, "again-1", "and when?", "site-again-2"));
    rig.awaitRouted();
    JsonObject update = Poll.until("the next message's update", Duration.ofSeconds(10),
        () -> rig.updates.stream().filter(u -> id.equals(u.getString("dialogueId")) && "message".equals(u.getString("kind")))
            .findFirst().orElse(null), u -> u != null);
    assertEquals(rig.channel + ":site-again-2", update.getString("messageId"), "the repeat published nothing");
    rig.scheduler.advance(Duration.ofSeconds(3));
    rig.awaitReplies("again-1", 2);
    Document d = Poll.until("the second message to be answered", Duration.ofSeconds(10), () -> rig.dialogue("again-1"),
        dialogue -> dialogue.get("answeredSeq", Number.class).longValue() == 2);
    assertEquals(2L, d.get("inSeq", Number.class).longValue(), "the repeat is not counted");
    assertEquals(4, rig.awaitMessages(id, 4).size(), "two messages in, two answers out");
    assertEquals(2, rig.repliesTo("again-1").size());
  }

  @Test
  void aChannelNoRunningTaskAnswersKeepsNothingButCountsIt() {
    String idle = rig.created("/api/channels", new JsonObject().put("type", "web").put("name", "idle")
        .put("settings", new JsonObject().put("callbackUrl", rig.receiver.url("/in")).put("secret", ConversationRig.SECRET)));
    assertEquals(200, rig.write(idle, "stranger-1", "hello?"));
    rig.awaitRouted();
    assertNull(rig.db.find(Collections.DIALOGUE_KEYS, idle + ":stranger-1"));
    assertEquals(0L, rig.db.count(Collections.MESSAGES, new Document("text", "hello?")));
    assertTrue(rig.http.get("/metrics", TestParley.ADMIN).body()
        .contains("parley_messages_unanswerable_total{channel=\"" + idle + "\"} 1.0"));
  }
}
