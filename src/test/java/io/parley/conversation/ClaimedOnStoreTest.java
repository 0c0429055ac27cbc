package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.support.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a burst window of 0, a message from a contact whose dialogue the router knows is counted and its burst
 * claimed in one write, and the burst handed to a responder ({@link EventAddresses#REPLY_CLAIMED}); whatever
 * changed the dialogue since the router last wrote to it sends the message the usual way ({@link
 * EventAddresses#REPLY_DUE}, then the responder's claim). Either way each burst is answered once.
 */
class ClaimedOnStoreTest {
  static ConversationRig rig;
  /** The addresses of the notices the router sent, in order (an interceptor sees them; nobody's are taken). */
  static final Queue<String> notices = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() {
    rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"));
    String anna = rig.manager("Anna", "Friendly and brief.");
    String ai = rig.scripted(new JsonArray().add(ConversationRig.rule("price", "It is free, {{address}}.", null)),
        "Hi, this is {{manager}}.");
    rig.task("incoming", List.of(anna), ai, new JsonObject());
    rig.parley.parley().app().vertx().eventBus().addOutboundInterceptor(ctx -> {
      String address = ctx.message().address();
      if (address.equals(EventAddresses.REPLY_DUE) || address.equals(EventAddresses.REPLY_CLAIMED)) notices.add(address);
      ctx.next();
    });
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @BeforeEach
  void clear() {
    notices.clear();
  }

  private static List<String> noticesNow() {
    return List.copyOf(notices);
  }

  private static Document answered(String contact, long seq) {
    return Poll.until("the burst up to " + seq + " to be marked answered", Duration.ofSeconds(10), () -> rig.dialogue(contact),
        d -> d.get("answeredSeq", Number.class).longValue() == seq);
  }

  private static long number(Document d, String field) {
    return d.get(field, Number.class).longValue();
  }

  @Test
  void aKnownContactsMessageIsCountedAndClaimedInOneWriteAndAnsweredOnce() {
    rig.writeAndRoute("known-1", "Hello");
    rig.awaitReplies("known-1", 1);
    answered("known-1", 1);
    assertEquals(List.of(EventAddresses.REPLY_DUE), noticesNow(), "a first message: its key is read, its burst claimed apart");

    notices.clear();
    rig.writeAndRoute("known-1", "what is the price?");
    assertEquals("It is free, known-1.", rig.awaitReplies("known-1", 2).get(1).getString("text"),
        "the claimed dialogue carries the context the rule reads");
    rig.writeAndRoute("known-1", "thanks");
    rig.awaitReplies("known-1", 3);
    Document d = answered("known-1", 3);
    assertEquals(List.of(EventAddresses.REPLY_CLAIMED, EventAddresses.REPLY_CLAIMED), noticesNow());
    assertEquals(3L, number(d, "inSeq"));
    assertEquals(3L, number(d, "replyClaim"));
    assertEquals(3, rig.repliesTo("known-1").size(), "three messages, three answers");
    assertEquals(6, rig.awaitMessages(d.getString("_id"), 6).size());
    assertEquals("Hi, this is Anna.", rig.repliesTo("known-1").get(2).getString("text"));
  }

  @Test
  void aCountChangedElsewhereSendsTheMessageTheUsualWay() {
    rig.writeAndRoute("moved-on-1", "Hello");
    rig.awaitReplies("moved-on-1", 1);
    String id = answered("moved-on-1", 1).getString("_id");
    // another process counted a message of this contact (its claim and answer are its own business)
    rig.db.update(Collections.DIALOGUES, id, new Document("$inc", new Document("inSeq", 1L)).append("$set",
        new Document("answeredSeq", 2L).append("replyClaim", 2L)));

    notices.clear();
    rig.writeAndRoute("moved-on-1", "what is the price?");
    assertEquals("It is free, moved-on-1.", rig.awaitReplies("moved-on-1", 2).get(1).getString("text"));
    Document d = answered("moved-on-1", 3);
    assertEquals(List.of(EventAddresses.REPLY_DUE), noticesNow(), "the write found another count: no claim in it");
    assertEquals(3L, number(d, "replyClaim"), "claimed by the responder");

    notices.clear();
    rig.writeAndRoute("moved-on-1", "and the date?");
    rig.awaitReplies("moved-on-1", 3);
    answered("moved-on-1", 4);
    assertEquals(List.of(EventAddresses.REPLY_CLAIMED), noticesNow(), "the count that write saw is known again");
  }

  @Test
  void aDialogueTakenOverSinceIsNotClaimedNorAnswered() {
    rig.writeAndRoute("taken-1", "Hello");
    rig.awaitReplies("taken-1", 1);
    String id = answered("taken-1", 1).getString("_id");
    rig.db.update(Collections.DIALOGUES, id, new Document("$set", new Document("state", "human"))); // by another process

    notices.clear();
    rig.writeAndRoute("taken-1", "what is the price?");
    Document d = rig.dialogue("taken-1");
    assertEquals("human", d.getString("state"));
    assertEquals(2L, number(d, "inSeq"), "the message is counted");
    assertEquals(1L, number(d, "replyClaim"), "and its burst left for the manager");
    assertEquals(List.of(), noticesNow());
    assertEquals(3, rig.awaitMessages(id, 3).size(), "stored: two from the contact, one answer");
    assertEquals(1, rig.repliesTo("taken-1").size(), "no answer from the AI");
  }

  /**
   * Messages of one known contact routed side by side: several writes may start from the same remembered count;
   * the first claims, the others find the count moved and go the usual way. Every message is counted once and
   * every burst answered, none twice: no more answers than messages, each answer recorded once.
   */
  @Test
  void messagesSideBySideAreEachCountedAndTheirBurstsAnsweredOnce() throws Exception {
    rig.writeAndRoute("busy-1", "Hello");
    rig.awaitReplies("busy-1", 1);
    String id = answered("busy-1", 1).getString("_id");

    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String text = "what is the price? " + i;
        sent.add(pool.submit(() -> rig.write("busy-1", text)));
      }
      for (Future<Integer> status : sent) assertEquals(200, status.get(20, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    rig.awaitRouted();
    Document d = answered("busy-1", n + 1);
    assertEquals(n + 1L, number(d, "inSeq"), "each message counted once");
    assertTrue(noticesNow().contains(EventAddresses.REPLY_CLAIMED), noticesNow().toString());
    List<Document> stored = Poll.until("the answers to be recorded", Duration.ofSeconds(10), () -> rig.messages(id),
        all -> all.stream().filter(m -> "ai".equals(m.getString("author"))).count() == rig.repliesTo("busy-1").size());
    long in = stored.stream().filter(m -> "in".equals(m.getString("direction"))).count();
    long answers = stored.stream().filter(m -> "ai".equals(m.getString("author"))).count();
    assertEquals(n + 1L, in);
    assertTrue(answers >= 2 && answers <= n + 1, answers + " answers to " + (n + 1) + " messages");
    assertEquals(answers, (long) rig.repliesTo("busy-1").size(), "each answer sent once");
  }

  @Test
  void aStopWordFromAKnownContactIsNotClaimedAndConfirmedOnce() {
    rig.writeAndRoute("leaving-1", "Hello");
    rig.awaitReplies("leaving-1", 1);
    answered("leaving-1", 1);

    notices.clear();
    rig.writeAndRoute("leaving-1", "STOP");
    Document d = Poll.until("the dialogue to close", Duration.ofSeconds(10), () -> rig.dialogue("leaving-1"),
        dialogue -> "closed".equals(dialogue.getString("state")));
    assertEquals("opted_out", d.getString("outcome"));
    assertEquals(1L, number(d, "replyClaim"));
    assertEquals(List.of(), noticesNow());
    List<JsonObject> replies = rig.awaitReplies("leaving-1", 2);
    assertEquals(2, replies.size(), "the answer to Hello and one confirmation");
    assertTrue(replies.get(1).getString("text").startsWith("You are unsubscribed"), replies.get(1).toString());
  }
}
