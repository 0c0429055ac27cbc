package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.parley.store.Collections;
import io.parley.support.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A burst claimed by a Parley process that went silent (killed, cut off from the store) is answered by a
 * process that still beats, without waiting for the claim's lease (ten minutes here); a claim of a process
 * that beats is left alone until it has been silent for three beats.
 */
class SilentProcessTest {
  /** Answered at once, and a beat a second: a process is silent after 3 s of the rig's clock. */
  private static final Map<String, String> BEATING = Map.of("conversation.burstWindowMillis", "0",
      "conversation.heartbeatSeconds", "1");

  private static String campaign(ConversationRig rig) {
    String ai = rig.scripted(new JsonArray(), "We will call you back.");
    return rig.task("incoming", List.of(rig.manager("Anna", "")), ai, new JsonObject());
  }

  /** {@code contact} writes, and the reply and both records are in. */
  private static void exchange(ConversationRig rig, String contact, int replies) {
    rig.writeAndRoute(contact, "Hello " + replies);
    rig.awaitReplies(contact, replies);
    rig.awaitMessages(rig.dialogue(contact).getString("_id"), 2 * replies);
  }

  /** The contact's dialogue as process {@code run} leaves it when it counts and claims their next message, then stops. */
  private static void claimedBy(ConversationRig rig, String contact, String run) {
    Document d = rig.dialogue(contact);
    long next = d.getLong("inSeq") + 1;
    Date now = Date.from(rig.clock.instant());
    rig.db.update(Collections.DIALOGUES, d.getString("_id"), new Document("$set", new Document("inSeq", next)
        .append("replyClaim", next).append("claimedAt", now).append(Dialogues.CLAIMED_BY, run).append("lastInAt", now)));
  }

  private static void lastSeen(ConversationRig rig, String run, Instant at) {
    rig.db.insert(Collections.RESPONDER_RUNS, new Document("_id", run).append("seenAt", Date.from(at)));
  }

  /** Waits until the process {@code run} is forgotten: a release of silent processes' claims went past it. */
  private static void awaitForgotten(ConversationRig rig, String run) {
    Poll.until(run + " forgotten", Duration.ofSeconds(10), () -> rig.db.find(Collections.RESPONDER_RUNS, run), d -> d == null);
  }

  @Test
  void aBurstClaimedByASilentProcessIsAnsweredAndOneClaimedByABeatingProcessIsLeftAlone() {
    try (ConversationRig rig = new ConversationRig(BEATING)) {
      campaign(rig);
      exchange(rig, "silent-1", 1);
      exchange(rig, "beating-1", 1);
      assertEquals(rig.deps.run(), rig.dialogue("silent-1").getString(Dialogues.CLAIMED_BY));
      Instant now = rig.clock.instant();
      claimedBy(rig, "silent-1", "gone");
      claimedBy(rig, "beating-1", "alive");
      lastSeen(rig, "alive", now.minusSeconds(3)); // three beats ago: not yet silent
      lastSeen(rig, "gone", now.minusSeconds(3).minusMillis(1));

      assertEquals("We will call you back.", rig.awaitReplies("silent-1", 2).get(1).getString("text"));
      awaitForgotten(rig, "gone");
      Document answered = Poll.until("silent-1's burst recorded answered", Duration.ofSeconds(10), () -> rig.dialogue("silent-1"),
          d -> d.getLong("answeredSeq") == 2L);
      assertEquals(rig.deps.run(), answered.getString(Dialogues.CLAIMED_BY), "claimed again by this process");

      // two more complete releases, each past a process silent since before it started, leave the beating one's claim
      for (String later : List.of("gone-2", "gone-3")) {
        lastSeen(rig, later, now.minusSeconds(60));
        awaitForgotten(rig, later);
      }
      Document held = rig.dialogue("beating-1");
      assertEquals("alive", held.getString(Dialogues.CLAIMED_BY));
      assertEquals(2L, held.getLong("replyClaim"));
      assertEquals(1L, held.getLong("answeredSeq"));
      assertEquals(1, rig.repliesTo("beating-1").size());
      assertNotNull(rig.db.find(Collections.RESPONDER_RUNS, "alive"));

      rig.clock.advance(Duration.ofMillis(1)); // now silent for longer than three beats
      assertEquals("We will call you back.", rig.awaitReplies("beating-1", 2).get(1).getString("text"));
      awaitForgotten(rig, "alive");
      // its first message and reply, and the reply to the burst the silent process claimed (written here, not sent)
      assertEquals(List.of("in", "out", "out"), rig.awaitMessages(rig.dialogue("beating-1").getString("_id"), 3).stream()
          .map(m -> m.getString("direction")).toList());
    }
  }

  @Test
  void everyClaimCarriesTheProcessThatMadeIt() {
    try (ConversationRig rig = new ConversationRig(BEATING)) {
      campaign(rig);
      exchange(rig, "c-1", 1); // a new contact: the burst is claimed by a responder told it is due
      assertEquals(rig.deps.run(), rig.dialogue("c-1").getString(Dialogues.CLAIMED_BY));
      // then claimed in the write that counts the message: read as that write leaves it, then from the copy
      for (int n = 2; n <= 3; n++) {
        rig.db.update(Collections.DIALOGUES, rig.dialogue("c-1").getString("_id"),
            new Document("$set", new Document(Dialogues.CLAIMED_BY, "earlier")));
        exchange(rig, "c-1", n);
        assertEquals(rig.deps.run(), rig.dialogue("c-1").getString(Dialogues.CLAIMED_BY), "message " + n);
      }
      assertEquals(1, rig.deps.copies().hits(), "the third message was claimed from the copy");
      Document beat = rig.db.find(Collections.RESPONDER_RUNS, rig.deps.run());
      assertEquals(Date.from(rig.clock.instant()), beat.getDate("seenAt"));
    }
  }
}
