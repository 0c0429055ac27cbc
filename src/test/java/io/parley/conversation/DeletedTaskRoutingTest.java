package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A contact whose dialogue belongs to a task that was deleted is new to the channel's tasks that run now:
 * their next message opens a dialogue on the channel's running incoming task, not on the deleted one's.
 */
class DeletedTaskRoutingTest {
  @Test
  void aContactOfADeletedTaskGetsADialogueOnTheTaskThatRunsNow() {
    try (ConversationRig rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"))) {
      String before = rig.task("incoming", List.of(rig.manager("Ivan", "")), rig.scripted(new JsonArray(), "Old inbox."),
          new JsonObject());
      rig.writeAndRoute("back-1", "hello");
      assertEquals("Old inbox.", rig.awaitReplies("back-1", 1).get(0).getString("text"));
      String old = rig.dialogue("back-1").getString("_id");
      assertEquals(200, rig.http.post("/api/tasks/" + before + "/stop", TestParley.ADMIN, null).status());
      assertEquals(204, rig.http.delete("/api/tasks/" + before, TestParley.ADMIN).status());

      String now = rig.task("incoming", List.of(rig.manager("Olga", "")), rig.scripted(new JsonArray(), "New inbox."),
          new JsonObject());
      rig.writeAndRoute("back-1", "hello again");
      assertEquals("New inbox.", rig.awaitReplies("back-1", 2).get(1).getString("text"));
      Document d = rig.dialogue("back-1");
      assertNotEquals(old, d.getString("_id"));
      assertEquals(now, d.getString("task"));
      Document kept = Poll.until("the old dialogue as it was", Duration.ofSeconds(10), () -> rig.db.find(
          io.parley.store.Collections.DIALOGUES, old), x -> x != null);
      assertEquals(1L, kept.get("inSeq", Number.class).longValue(), "the new message is not in the deleted task's dialogue");
      assertEquals(1, rig.messages(d.getString("_id")).stream().filter(m -> "in".equals(m.getString("direction"))).count());
    }
  }
}
