package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A stopped task's dialogues stay answerable until the marketer asks to close them (SPEC §2); then each
 * one not closed yet is closed as a manager's close would be, once.
 */
class CloseTaskDialoguesTest {
  @Test
  void aStoppedTasksDialoguesAreAnsweredUntilTheMarketerClosesThem() {
    try (ConversationRig rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"))) {
      String ai = rig.scripted(new JsonArray(), "Noted.");
      String task = rig.task("incoming", List.of(rig.manager("Ivan", "")), ai, new JsonObject());
      for (String contact : List.of("c-1", "c-2", "c-3")) {
        rig.writeAndRoute(contact, "hello");
        rig.awaitReplies(contact, 1);
      }
      // Three open dialogues: one goes to a manager, one a manager closes.
      assertEquals(200, rig.http.post("/api/dialogues/" + rig.dialogue("c-2").getString("_id") + "/takeover",
          TestParley.ADMIN, null).status());
      assertEquals(200, rig.http.post("/api/dialogues/" + rig.dialogue("c-3").getString("_id") + "/close",
          TestParley.ADMIN, new JsonObject().put("outcome", "success")).status());

      Http.Response running = rig.http.post("/api/tasks/" + task + "/close-dialogues", TestParley.ADMIN, null);
      assertEquals(409, running.status(), running.toString());
      assertEquals("task_not_finished", running.error().getString("code"), running.toString());
      assertEquals("open", rig.dialogue("c-1").getString("state"), "nothing changes for a running task");

      assertEquals(200, rig.http.post("/api/tasks/" + task + "/stop", TestParley.ADMIN, null).status());
      rig.writeAndRoute("c-1", "still there?");
      assertEquals(2, rig.awaitReplies("c-1", 2).size(), "a stopped task's dialogue is still answered");

      Http.Response forbidden = rig.http.post("/api/tasks/" + task + "/close-dialogues", rig.parley.token("manager"), null);
      assertEquals(403, forbidden.status(), forbidden.toString());
      assertEquals(404, rig.http.post("/api/tasks/" + io.parley.store.Ids.newId() + "/close-dialogues", TestParley.ADMIN, null).status());

      rig.outcomes.clear();
      Http.Response closed = rig.http.post("/api/tasks/" + task + "/close-dialogues", TestParley.ADMIN, null);
      assertEquals(200, closed.status(), closed.toString());
      assertEquals(new JsonObject().put("closed", 2), closed.json());
      for (String contact : List.of("c-1", "c-2")) {
        Document d = rig.dialogue(contact);
        assertEquals("closed", d.getString("state"), contact);
        assertEquals("no_further_action", d.getString("outcome"), contact);
        assertEquals("marketer", d.getString("closedBy"), contact);
      }
      assertEquals("success", rig.dialogue("c-3").getString("outcome"), "a closed dialogue keeps its outcome");
      Set<String> published = new HashSet<>();
      for (int i = 0; i < 2; i++) published.add(ConversationRig.next(rig.outcomes).getString("dialogueId"));
      assertEquals(Set.of(rig.dialogue("c-1").getString("_id"), rig.dialogue("c-2").getString("_id")), published);

      rig.writeAndRoute("c-1", "hello again");
      Poll.until("the message to be stored", Duration.ofSeconds(10), () -> rig.messages(rig.dialogue("c-1").getString("_id")),
          m -> m.size() == 5);
      assertEquals(2, rig.repliesTo("c-1").size(), "a closed dialogue only stores what the contact writes");

      assertEquals(new JsonObject().put("closed", 0),
          rig.http.post("/api/tasks/" + task + "/close-dialogues", TestParley.ADMIN, null).json(), "nothing is left to close");
      assertTrue(rig.outcomes.isEmpty());
      assertEquals(3L, rig.db.count(Collections.DIALOGUES, new Document("task", task).append("state", "closed")));
    }
  }
}
