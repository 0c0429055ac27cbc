package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.channel.Inbox;
import io.parley.store.Collections;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** Messages stored but never routed (no router ran, or it died) are routed and answered at the next start. */
class RerouteAfterRestartTest {
  @Test
  void storedButUnroutedMessagesAreRoutedAtStart() {
    Path dir = TestParley.tempDir();
    try (ConversationRig before = new ConversationRig(dir, Map.of(), false)) {
      String ai = before.scripted(new JsonArray(), "Back again, {{manager}} here.");
      before.task("incoming", List.of(before.manager("Ivan", "")), ai, new JsonObject());
      assertEquals(200, before.write("early-1", "hello?"));
      assertEquals(200, before.write("early-1", "anyone?"));
      assertEquals(2L, before.unrouted());
      // a message an older version kept in inbound, marked routed: removed at start, not routed again
      before.db.insert(Collections.INBOUND, new Document("_id", before.channel + ":old-1").append("channel", before.channel)
          .append("from", "early-1").append("text", "from long ago").append("platformId", "old-1")
          .append("receivedAt", new java.util.Date(0)).append("routed", true));
      assertNull(before.dialogue("early-1"));
    }
    try (ConversationRig after = new ConversationRig(dir, Map.of(), true)) {
      after.awaitRouted();
      Document d = after.dialogue("early-1");
      assertEquals(2L, d.get("inSeq", Number.class).longValue(), "the two unrouted messages, not the old one");
      after.scheduler.advance(Duration.ofSeconds(3));
      assertEquals("Back again, Ivan here.", after.awaitReplies("early-1", 1).get(0).getString("text"));
      io.parley.support.Poll.until("the reply to be stored", Duration.ofSeconds(10), () -> after.messages(d.getString("_id")),
          m -> m.size() == 3);
    }
  }

  /** A message whose routing fails at start stays for the next start, and holds back none of the others. */
  @Test
  void aMessageThatCannotBeRoutedAtStartDoesNotHoldBackTheOthers() {
    Path dir = TestParley.tempDir();
    String bad;
    try (ConversationRig before = new ConversationRig(dir, Map.of(), false)) {
      String ai = before.scripted(new JsonArray(), "Still here.");
      before.task("incoming", List.of(before.manager("Ivan", "")), ai, new JsonObject());
      // first in arrival order: a document no version of the router can read (its text is a number)
      bad = before.channel + ":bad-1";
      before.db.insert(Collections.INBOUND, new Document("_id", bad).append("channel", before.channel)
          .append("from", "broken-1").append("text", 42).append("platformId", "bad-1").append("receivedAt", new java.util.Date(0)));
      assertEquals(200, before.write("after-bad-1", "hello?"));
      assertEquals(200, before.write("after-bad-2", "hello?"));
    }
    try (ConversationRig after = new ConversationRig(dir, Map.of(), true)) {
      io.parley.support.Poll.until("the readable messages to be routed", Duration.ofSeconds(20), after::unrouted, n -> n == 1);
      after.scheduler.advance(Duration.ofSeconds(3));
      assertEquals("Still here.", after.awaitReplies("after-bad-1", 1).get(0).getString("text"));
      assertEquals("Still here.", after.awaitReplies("after-bad-2", 1).get(0).getString("text"));
      assertEquals(bad, after.db.find(Collections.INBOUND, bad).getString("_id"), "kept for the next start");
      assertNull(after.dialogue("broken-1"));
    }
  }

  @Test
  void aMessageStoredButNotCountedBeforeACrashIsCountedAndAnsweredAtStart() {
    Path dir = TestParley.tempDir();
    String dialogueId;
    try (ConversationRig before = new ConversationRig(dir, Map.of(), true)) {
      String ai = before.scripted(new JsonArray().add(ConversationRig.rule("price", "It is free.", null)), "Hello from Ivan.");
      before.task("incoming", List.of(before.manager("Ivan", "")), ai, new JsonObject());
      before.writeAndRoute("late-1", "hi");
      dialogueId = before.dialogue("late-1").getString("_id");
    }
    try (ConversationRig crashed = new ConversationRig(dir, Map.of(), false)) {
      // the router stored the second message in the dialogue and stopped before counting it there
      assertEquals(200, crashed.write(crashed.channel, "late-1", "what is the price?", "p-2"));
      crashed.db.insert(Collections.MESSAGES, new Document("_id", Inbox.key(crashed.channel, "p-2")).append("dialogue", dialogueId)
          .append("direction", "in").append("author", "contact").append("text", "what is the price?")
          .append("cost", new Decimal128(BigDecimal.ZERO)).append("createdAt", new Date()).append("platformMessageId", "p-2")
          .append("status", "received"));
    }
    try (ConversationRig after = new ConversationRig(dir, Map.of(), true)) {
      after.awaitRouted();
      Document d = after.dialogue("late-1");
      assertEquals(2L, d.get("inSeq", Number.class).longValue(), "the stored message is counted once");
      assertEquals("what is the price?", d.get("lastMessage", Document.class).getString("text"));
      after.scheduler.advance(Duration.ofSeconds(3));
      assertEquals("It is free.", after.awaitReplies("late-1", 1).get(0).getString("text"), "the burst includes it");
      io.parley.support.Poll.until("both messages answered", Duration.ofSeconds(10), () -> after.dialogue("late-1"),
          now -> now.get("answeredSeq", Number.class).longValue() == 2);
      assertEquals(3, after.awaitMessages(dialogueId, 3).size(), "two from the contact, one answer");
    }
  }

  /** A reaction stored before a crash but never recorded in its dialogue is recorded at start, once, and not answered. */
  @Test
  void aReactionStoredButNotRecordedBeforeACrashIsRecordedAtStart() {
    Path dir = TestParley.tempDir();
    String dialogueId;
    try (ConversationRig before = new ConversationRig(dir, Map.of(), true)) {
      String ai = before.scripted(new JsonArray(), "Hello from Ivan.");
      before.task("incoming", List.of(before.manager("Ivan", "")), ai, new JsonObject());
      before.writeAndRoute("react-1", "hi");
      before.scheduler.advance(Duration.ofSeconds(3));
      before.awaitReplies("react-1", 1);
      dialogueId = before.dialogue("react-1").getString("_id");
      io.parley.support.Poll.until("the reply recorded", Duration.ofSeconds(10), () -> before.dialogue("react-1"),
          d -> d.get("answeredSeq", Number.class).longValue() == 1);
    }
    Document before;
    try (ConversationRig crashed = new ConversationRig(dir, Map.of(), false)) {
      // the router stored the contact's reaction and stopped before recording it in the dialogue
      String id = Inbox.key(crashed.channel, "r-1");
      Date at = new Date();
      crashed.db.insert(Collections.INBOUND, new Document("_id", id).append("channel", crashed.channel).append("from", "react-1")
          .append("text", "[reaction] \uD83D\uDC4D").append("platformId", "r-1").append("receivedAt", at).append("kind", "reaction"));
      crashed.db.insert(Collections.MESSAGES, new Document("_id", id).append("dialogue", dialogueId).append("direction", "in")
          .append("author", "contact").append("text", "[reaction] \uD83D\uDC4D").append("kind", "reaction")
          .append("cost", new Decimal128(BigDecimal.ZERO)).append("createdAt", at).append("platformMessageId", "r-1")
          .append("status", "received"));
      before = crashed.dialogue("react-1");
    }
    try (ConversationRig after = new ConversationRig(dir, Map.of(), true)) {
      after.awaitRouted();
      Document d = io.parley.support.Poll.until("the reaction recorded", Duration.ofSeconds(10), () -> after.dialogue("react-1"),
          now -> "[reaction] \uD83D\uDC4D".equals(now.get("lastMessage", Document.class).getString("text")));
      assertEquals(1L, d.get(Dialogues.NOTES, Number.class).longValue());
      assertEquals(before.getInteger("unread") + 1, d.getInteger("unread"));
      List<Document> recent = d.getList("recent", Document.class);
      assertEquals("[reaction] \uD83D\uDC4D", recent.get(recent.size() - 1).getString("text"), "in the AI's context");
      assertEquals(1L, d.get("inSeq", Number.class).longValue(), "no message to answer");
      assertEquals(0, after.scheduler.size(), "no reply due");
    }
  }

  @Test
  void theStartReadsOnlyTheOpenDialoguesOwedAReply() {
    try (ConversationRig rig = new ConversationRig(TestParley.tempDir(), Map.of(), false)) {
      List<Document> seeded = List.of(
          new Document("_id", "owed").append("state", "open").append("inSeq", 3L).append("answeredSeq", 2L),
          new Document("_id", "never-answered").append("state", "open").append("inSeq", 1L),
          new Document("_id", "answered").append("state", "open").append("inSeq", 2L).append("answeredSeq", 2L),
          new Document("_id", "outreach-nobody-answered").append("state", "open"),
          new Document("_id", "owed-but-human").append("state", "human").append("inSeq", 4L).append("answeredSeq", 1L),
          new Document("_id", "owed-but-closed").append("state", "closed").append("inSeq", 1L));
      seeded.forEach(d -> rig.db.insert(Collections.DIALOGUES, d));
      Dialogues dialogues = new Dialogues(rig.parley.parley().app().store(), 20);
      List<String> owed = ConversationRig.await(dialogues.openWithUnanswered().toCompletionStage().toCompletableFuture())
          .stream().map(d -> d.getString("_id")).sorted().toList();
      assertEquals(List.of("never-answered", "owed"), owed);
    }
  }
}
