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
      assertEquals(2L, before.db.count(Collections.INBOUND, new Document()));
      assertEquals(0L, before.routed());
      assertNull(before.dialogue("early-1"));
    }
    try (ConversationRig after = new ConversationRig(dir, Map.of(), true)) {
      io.parley.support.Poll.until("the stored messages to be routed", Duration.ofSeconds(20), after::routed, n -> n == 2);
      Document d = after.dialogue("early-1");
      assertEquals(2L, d.get("inSeq", Number.class).longValue());
      after.scheduler.advance(Duration.ofSeconds(3));
      assertEquals("Back again, Ivan here.", after.awaitReplies("early-1", 1).get(0).getString("text"));
      io.parley.support.Poll.until("the reply to be stored", Duration.ofSeconds(10), () -> after.messages(d.getString("_id")),
          m -> m.size() == 3);
    }
  }
}
