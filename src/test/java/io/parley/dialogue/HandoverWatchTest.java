package io.parley.dialogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.MutableClock;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The handover timeout keeps working however many taken-over dialogues their managers have answered: a
 * round of the watch reads only the takeovers that wait (it reads at most 500 at a time).
 */
class HandoverWatchTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aDueTakeoverIsMarkedOverdueBehindMoreThanARoundOfAnsweredOnes() {
    MutableClock clock = new MutableClock(START);
    try (TestParley parley = TestParley.start(TestParley.tempDir(),
        Map.of("dispatch.enabled", "false", "conversation.enabled", "false", "dialogue.watchSeconds", "1"), clock)) {
      Fixtures db = new Fixtures(parley);
      Date takenOver = Date.from(START);
      Date answeredAt = Date.from(START.plusSeconds(60));
      for (int i = 0; i < 520; i++) { // taken over and answered, stored as versions before the waiting mark did
        db.insert(Collections.DIALOGUES, human("answered-" + i, takenOver).append("lastManagerReplyAt", answeredAt));
      }
      String legacy = Ids.newId(); // taken over by such a version, never answered
      db.insert(Collections.DIALOGUES, human("legacy", takenOver).append("_id", legacy));
      String waiting = Ids.newId(); // taken over now, never answered
      db.insert(Collections.DIALOGUES, human("waiting", takenOver).append("_id", waiting)
          .append(DialogueWatch.AWAITING_MANAGER, takenOver));
      String answered = Ids.newId(); // taken over now and answered: the answer cleared the mark
      db.insert(Collections.DIALOGUES, human("answered-now", takenOver).append("_id", answered)
          .append(DialogueWatch.AWAITING_MANAGER, null).append("lastManagerReplyAt", answeredAt));

      clock.advance(Duration.ofMinutes(31));
      Poll.until("both unanswered takeovers to be marked overdue", Duration.ofSeconds(30),
          () -> db.count(Collections.DIALOGUES, new Document("overdue", true)), n -> n == 2);
      for (String id : new String[] {legacy, waiting}) {
        Document d = db.find(Collections.DIALOGUES, id);
        assertEquals("human", d.getString("state"));
        assertTrue(d.getString("stateReason").contains("no manager answered within 30 min"), d.toJson());
        assertTrue(d.containsKey(DialogueWatch.AWAITING_MANAGER) && d.get(DialogueWatch.AWAITING_MANAGER) == null,
            "marked overdue, it waits no more: " + d.toJson());
      }
      assertFalse(db.find(Collections.DIALOGUES, answered).containsKey("overdue"));
      Poll.until("the answered takeovers of the earlier version to be marked as waiting for nobody", Duration.ofSeconds(30),
          () -> db.count(Collections.DIALOGUES, new Document(DialogueWatch.AWAITING_MANAGER, new Document("$exists", false))),
          n -> n == 0);
      assertEquals(0L, db.count(Collections.DIALOGUES, new Document("contact", new Document("$regex", "^answered"))
          .append("overdue", true)), "an answered takeover is never overdue");
      assertNull(db.find(Collections.DIALOGUES, answered).get(DialogueWatch.AWAITING_MANAGER));
    }
  }

  private static Document human(String contact, Date since) {
    return new Document("_id", Ids.newId()).append("task", Ids.newId()).append("channel", Ids.newId())
        .append("contact", contact).append("manager", null).append("state", "human").append("origin", "outreach")
        .append("humanSince", since).append("createdAt", since).append("lastMessageAt", since);
  }
}
