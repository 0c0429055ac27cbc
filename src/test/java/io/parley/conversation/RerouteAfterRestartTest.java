package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.store.Collections;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
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
}
