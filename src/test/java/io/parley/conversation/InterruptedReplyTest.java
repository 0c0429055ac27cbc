package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Parley stops while a responder is answering a burst: the claim is on the dialogue, the reply is never
 * recorded. The next start answers that burst again once the claim has run out, and only then.
 */
class InterruptedReplyTest {
  /** What the first run left: the dialogue and when its burst was claimed. */
  private record Left(String dialogueId, Instant claimedAt) {}

  @Test
  void aClaimStillHoldingAtStartIsAnsweredWhenItRunsOut() {
    Path dir = TestParley.tempDir();
    Left left = stopWhileAnswering(dir);
    try (ConversationRig after = new ConversationRig(dir, Map.of(), false)) {
      after.clock.set(left.claimedAt().plus(Duration.ofMinutes(1)));
      after.converse(Map.of());
      Instant due = Poll.until("the burst to be due again", Duration.ofSeconds(20), after.scheduler::next, t -> t != null);
      assertEquals(left.claimedAt().plusSeconds(600), due, "the default claim holds for 10 minutes");

      after.scheduler.advance(Duration.ofMinutes(8)); // a minute before the claim runs out
      assertTrue(after.repliesTo("late-1").isEmpty());
      assertEquals(0L, after.db.find(io.parley.store.Collections.DIALOGUES, left.dialogueId()).get("answeredSeq", Number.class).longValue());

      after.scheduler.advance(Duration.ofMinutes(1));
      assertEquals("Hello from Ivan.", after.awaitReplies("late-1", 1).get(0).getString("text"));
      answeredOnce(after, left);
    }
  }

  @Test
  void aClaimThatRanOutBeforeTheStartIsAnsweredAtOnce() {
    Path dir = TestParley.tempDir();
    Left left = stopWhileAnswering(dir);
    // A minute's claim needs AI calls shorter than that (4 of 5 s, with backoff, come to 27 s).
    Map<String, String> shortClaims = Map.of("conversation.replyLeaseSeconds", "60", "conversation.aiTimeoutSeconds", "5");
    try (ConversationRig after = new ConversationRig(dir, shortClaims, false)) {
      after.clock.set(left.claimedAt().plus(Duration.ofMinutes(2)));
      after.converse(shortClaims);
      Instant due = Poll.until("the burst to be due again", Duration.ofSeconds(20), after.scheduler::next, t -> t != null);
      assertTrue(due.isBefore(after.clock.instant()), "due at once, not at " + due);
      after.scheduler.advance(Duration.ZERO);
      assertEquals("Hello from Ivan.", after.awaitReplies("late-1", 1).get(0).getString("text"));
      answeredOnce(after, left);
    }
  }

  /** Runs Parley until a responder has claimed late-1's message and is sending the reply, then stops it. */
  private static Left stopWhileAnswering(Path dir) {
    try (ConversationRig before = new ConversationRig(dir, Map.of(), true)) {
      String ai = before.scripted(new JsonArray(), "Hello from {{manager}}.");
      before.task("incoming", List.of(before.manager("Ivan", "")), ai, new JsonObject());
      before.answer = ctx -> {}; // the channel's receiver takes the reply and never answers
      before.writeAndRoute("late-1", "hello?");
      before.scheduler.advance(Duration.ofSeconds(3));
      before.awaitReplies("late-1", 1);
      Document d = before.dialogue("late-1");
      assertEquals(1L, d.get("replyClaim", Number.class).longValue());
      assertEquals(0L, d.get("answeredSeq", Number.class).longValue());
      assertEquals(1, before.messages(d.getString("_id")).size(), "only the contact's message is recorded");
      return new Left(d.getString("_id"), d.getDate("claimedAt").toInstant());
    }
  }

  private static void answeredOnce(ConversationRig after, Left left) {
    Document d = Poll.until("the reply to be recorded", Duration.ofSeconds(20),
        () -> after.db.find(io.parley.store.Collections.DIALOGUES, left.dialogueId()),
        x -> x.get("answeredSeq", Number.class).longValue() == 1L);
    assertEquals("open", d.getString("state"));
    List<Document> messages = after.messages(left.dialogueId());
    assertEquals(List.of("in", "out"), messages.stream().map(m -> m.getString("direction")).toList());
    after.scheduler.advance(Duration.ofHours(1));
    assertEquals(1, after.repliesTo("late-1").size());
    assertNull(after.scheduler.next());
  }
}
