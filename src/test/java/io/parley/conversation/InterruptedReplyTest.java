package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Parley stops while a responder is answering a burst: the claim is on the dialogue, the reply is never
 * recorded. The next start answers that burst again once the stopped process has been silent for three
 * heartbeats ({@link ResponderRuns}); a claim made by an earlier version, which names no process, once it has
 * run out, and only then.
 */
class InterruptedReplyTest {
  /** What the first run left: the dialogue, when its burst was claimed, and the process that claimed it. */
  private record Left(String dialogueId, Instant claimedAt, String run) {}

  @Test
  void aClaimOfAProcessThatStoppedIsAnsweredOnceItHasBeenSilentForThreeBeats() {
    Path dir = TestParley.tempDir();
    Left left = stopWhileAnswering(dir);
    Map<String, String> beating = Map.of("conversation.heartbeatSeconds", "1");
    try (ConversationRig after = new ConversationRig(dir, beating, false)) {
      // its last beat came as it claimed the burst; the restart comes 2 s later
      after.db.update(Collections.RESPONDER_RUNS, left.run(), new Document("$set",
          new Document("seenAt", Date.from(left.claimedAt()))));
      after.clock.set(left.claimedAt().plusSeconds(2));
      after.converse(beating);
      // a release of silent processes' claims went past it (two, the first may have begun before the test's process)
      for (String later : List.of("gone-1", "gone-2")) {
        after.db.insert(Collections.RESPONDER_RUNS, new Document("_id", later)
            .append("seenAt", Date.from(left.claimedAt().minusSeconds(60))));
        Poll.until(later + " forgotten", Duration.ofSeconds(10), () -> after.db.find(Collections.RESPONDER_RUNS, later),
            d -> d == null);
      }
      assertTrue(after.repliesTo("late-1").isEmpty());
      assertEquals(left.run(), after.db.find(Collections.DIALOGUES, left.dialogueId()).getString(Dialogues.CLAIMED_BY));

      after.scheduler.advance(Duration.ofMillis(1001)); // silent for three beats and a millisecond
      assertEquals("Hello from Ivan.", after.awaitReplies("late-1", 1).get(0).getString("text"));
      answeredOnce(after, left);
      assertNull(after.db.find(Collections.RESPONDER_RUNS, left.run()), "the stopped process is forgotten");
    }
  }

  @Test
  void aClaimOfAProcessSilentBeforeTheStartIsAnsweredAtOnce() {
    Path dir = TestParley.tempDir();
    // a minute later: silent for longer than 30 s, claimed for 10 minutes
    answeredAtOnce(dir, stopWhileAnswering(dir), Map.of(), Duration.ofMinutes(1));
  }

  @Test
  void aClaimOfAnEarlierVersionStillHoldingAtStartIsAnsweredWhenItRunsOut() {
    Path dir = TestParley.tempDir();
    Left left = earlierVersion(stopWhileAnswering(dir), dir);
    try (ConversationRig after = new ConversationRig(dir, Map.of(), false)) {
      after.clock.set(left.claimedAt().plus(Duration.ofMinutes(1)));
      after.converse(Map.of());
      Instant due = Poll.until("the burst to be due again", Duration.ofSeconds(20), after.scheduler::next, t -> t != null);
      assertEquals(left.claimedAt().plusSeconds(600), due, "the default claim holds for 10 minutes");

      after.scheduler.advance(Duration.ofMinutes(8)); // a minute before the claim runs out
      assertTrue(after.repliesTo("late-1").isEmpty());
      assertEquals(0L, after.db.find(Collections.DIALOGUES, left.dialogueId()).get("answeredSeq", Number.class).longValue());

      after.scheduler.advance(Duration.ofMinutes(1));
      assertEquals("Hello from Ivan.", after.awaitReplies("late-1", 1).get(0).getString("text"));
      answeredOnce(after, left);
    }
  }

  @Test
  void aClaimOfAnEarlierVersionThatRanOutBeforeTheStartIsAnsweredAtOnce() {
    Path dir = TestParley.tempDir();
    Left left = earlierVersion(stopWhileAnswering(dir), dir);
    // A minute's claim needs AI calls shorter than that (4 of 5 s, with backoff, come to 27 s).
    Map<String, String> shortClaims = Map.of("conversation.replyLeaseSeconds", "60", "conversation.aiTimeoutSeconds", "5");
    answeredAtOnce(dir, left, shortClaims, Duration.ofMinutes(2));
  }

  /** Parley starts again on {@code dir}, {@code later} after the claim {@code left}: the burst is answered at once. */
  private static void answeredAtOnce(Path dir, Left left, Map<String, String> settings, Duration later) {
    try (ConversationRig after = new ConversationRig(dir, settings, false)) {
      after.clock.set(left.claimedAt().plus(later));
      after.converse(settings);
      assertEquals("Hello from Ivan.", after.awaitReplies("late-1", 1).get(0).getString("text"));
      answeredOnce(after, left);
    }
  }

  /** The dialogue as an earlier version left it: its claim names no process. */
  private static Left earlierVersion(Left left, Path dir) {
    try (ConversationRig between = new ConversationRig(dir, Map.of(), false)) {
      between.db.update(Collections.DIALOGUES, left.dialogueId(), new Document("$unset", new Document(Dialogues.CLAIMED_BY, "")));
    }
    return new Left(left.dialogueId(), left.claimedAt(), null);
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
      assertEquals(before.deps.run(), d.getString(Dialogues.CLAIMED_BY));
      return new Left(d.getString("_id"), d.getDate("claimedAt").toInstant(), before.deps.run());
    }
  }

  private static void answeredOnce(ConversationRig after, Left left) {
    Document d = Poll.until("the reply to be recorded", Duration.ofSeconds(20),
        () -> after.db.find(Collections.DIALOGUES, left.dialogueId()),
        x -> x.get("answeredSeq", Number.class).longValue() == 1L);
    assertEquals("open", d.getString("state"));
    List<Document> messages = after.messages(left.dialogueId());
    assertEquals(List.of("in", "out"), messages.stream().map(m -> m.getString("direction")).toList());
    after.scheduler.advance(Duration.ofHours(1));
    assertEquals(1, after.repliesTo("late-1").size());
    assertNull(after.scheduler.next());
  }
}
