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
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A manager takes a live conversation over from the AI through the dialogue API: the AI stays silent while
 * the manager has it, the manager's reply goes out through the channel, the AI answers again after the
 * handback (but not what the manager already answered), and closing with {@code success} counts once.
 */
class ManagerTakeoverTest {
  @Test
  void theAiIsSilentWhileAManagerHasTheDialogueAndAnswersAgainAfterTheHandback() {
    try (ConversationRig rig = new ConversationRig(Map.of())) {
      Http.Response token = rig.http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("name", "Maria").put("role", "manager"));
      String managerToken = token.json().getString("token");
      String anna = rig.created("/api/managers", new JsonObject().put("name", "Anna").put("persona", "Kind")
          .put("operators", new JsonArray().add(token.json().getString("id"))));
      String ai = rig.scripted(new JsonArray().add(ConversationRig.rule("price", "It is free.", null)), "AI here, how can I help?");
      String task = rig.task("incoming", List.of(anna), ai, new JsonObject());

      rig.writeAndRoute("lead-1", "hello");
      rig.scheduler.advance(Duration.ofSeconds(3));
      assertEquals("AI here, how can I help?", rig.awaitReplies("lead-1", 1).get(0).getString("text"));
      String dialogue = rig.dialogue("lead-1").getString("_id");

      assertEquals("human", rig.http.post("/api/dialogues/" + dialogue + "/takeover", managerToken, null).json().getString("state"));
      rig.writeAndRoute("lead-1", "are you a robot?");
      rig.scheduler.advance(Duration.ofSeconds(30));
      JsonObject row = rig.http.get("/api/dialogues?task=" + task, managerToken).json().getJsonArray("items").getJsonObject(0);
      assertEquals(2, row.getInteger("unread"), "nobody has read the contact's two messages: " + row.encode());
      assertEquals("are you a robot?", row.getJsonObject("lastMessage").getString("text"));
      assertEquals(1, rig.repliesTo("lead-1").size(), "the AI says nothing while the manager has the dialogue");

      Http.Response reply = rig.http.post("/api/dialogues/" + dialogue + "/messages", managerToken,
          new JsonObject().put("text", "No, I am Maria. How can I help?"));
      assertEquals(201, reply.status(), reply.toString());
      assertEquals("No, I am Maria. How can I help?", rig.awaitReplies("lead-1", 2).get(1).getString("text"));

      assertEquals("open", rig.http.post("/api/dialogues/" + dialogue + "/handback", managerToken, null).json().getString("state"));
      rig.scheduler.advance(Duration.ofSeconds(30));
      assertEquals(2, rig.repliesTo("lead-1").size(), "the AI does not answer what the manager answered");
      rig.writeAndRoute("lead-1", "what is the price?");
      rig.scheduler.advance(Duration.ofSeconds(3));
      assertEquals("It is free.", rig.awaitReplies("lead-1", 3).get(2).getString("text"), "the AI answers again");

      assertEquals(200, rig.http.post("/api/dialogues/" + dialogue + "/close", managerToken,
          new JsonObject().put("outcome", "success")).status());
      JsonObject outcome = ConversationRig.next(rig.outcomes);
      assertEquals("manager", outcome.getString("by"));
      Poll.until("the success to be counted", Duration.ofSeconds(10),
          () -> rig.db.find(Collections.TASK_PROGRESS, task).get("stats", Document.class).get("succeeded", Number.class),
          n -> n != null && n.longValue() == 1L);
      assertEquals(1L, rig.http.get("/api/tasks/" + task, TestParley.ADMIN).json().getJsonObject("progress").getLong("succeeded"));
      rig.writeAndRoute("lead-1", "thanks");
      rig.scheduler.advance(Duration.ofSeconds(30));
      assertTrue(rig.repliesTo("lead-1").size() == 3, "a closed dialogue is not answered");
    }
  }
}
