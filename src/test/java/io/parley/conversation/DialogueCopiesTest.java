package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/**
 * With a burst window of 0, a known contact's message is counted and its burst claimed from the process's
 * copy of the dialogue, with no command that returns it ({@link DialogueCache}); the copy stays what the store
 * holds, and a dialogue changed by anyone else is read again: the AI sees what a manager wrote meanwhile, and
 * spend added meanwhile stops the reply at the cap.
 */
class DialogueCopiesTest {
  private static final Map<String, String> AT_ONCE = Map.of("conversation.burstWindowMillis", "0");

  /** Writes {@code text} as {@code contact}, and waits for the reply and the records of both: {@code messages} in all. */
  private static void exchange(ConversationRig rig, String contact, String text, int replies, int messages) {
    rig.writeAndRoute(contact, text);
    rig.awaitReplies(contact, replies);
    rig.awaitMessages(rig.dialogue(contact).getString("_id"), messages);
  }

  /** The copy of the dialogue once it is what the store holds (the reply's record lands just after its message). */
  private static Document copyMatchingTheStore(ConversationRig rig, String contact) {
    return Poll.until("the copy of " + contact + "'s dialogue to be what the store holds", Duration.ofSeconds(10), () -> {
      Document stored = rig.dialogue(contact);
      DialogueCache.Entry copy = rig.deps.copies().get(stored.getString("_id"));
      return copy != null && copy.dialogue.equals(stored) ? copy.dialogue : null;
    }, c -> c != null);
  }

  @Test
  void aKnownContactsMessagesAreCountedFromTheCopyWhichStaysWhatTheStoreHolds() {
    // a short history, so the context is cut as the store cuts it
    try (ConversationRig rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0",
        "conversation.historyMessages", "5"))) {
      String ai = rig.scripted(new JsonArray().add(ConversationRig.rule("price", "It is {{address}}'s lucky day: free.", null)),
          "Noted.");
      rig.task("incoming", List.of(rig.manager("Anna", "")), ai, new JsonObject());
      for (int i = 1; i <= 6; i++) exchange(rig, "copy-1", i == 6 ? "and the price?" : "message " + i, i, 2 * i);

      assertEquals("It is copy-1's lucky day: free.", rig.repliesTo("copy-1").get(5).getString("text"));
      // the first message opened the dialogue, the second read it as its write claimed it; the rest used the copy
      assertEquals(4, rig.deps.copies().hits(), "messages counted from the copy");
      Document copy = copyMatchingTheStore(rig, "copy-1");
      assertEquals(6L, copy.getLong("inSeq"));
      assertEquals(6L, copy.getLong("answeredSeq"));
      List<Document> recent = copy.getList("recent", Document.class);
      assertEquals(List.of("Noted.", "message 5", "Noted.", "and the price?", "It is copy-1's lucky day: free."),
          recent.stream().map(r -> r.getString("text")).toList());
      assertEquals(6, copy.getInteger("unread"));
    }
  }

  @Test
  void aManagersMessageWrittenMeanwhileIsInTheAisContextForTheNextMessage() throws Exception {
    try (ConversationRig rig = new ConversationRig(AT_ONCE)) {
      FakeChatCompletions model = ConversationRig.await(new FakeChatCompletions().start(rig.parley.parley().app().vertx())
          .toCompletionStage().toCompletableFuture());
      model.answer = (call, req) -> FakeChatCompletions.ok(req, "Noted.", null, 10, 5);
      // a model without prices costs nothing: the dialogue's spend stays 0, so only the message shows the change
      String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "local model").put("provider", "openai")
          .put("openai", new JsonObject().put("baseUrl", model.baseUrl()).put("model", "local").put("maxCompletionTokens", 50)));
      Http.Response token = rig.http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("name", "Maria").put("role", "manager"));
      String managerToken = token.json().getString("token");
      String anna = rig.created("/api/managers", new JsonObject().put("name", "Anna").put("persona", "Kind")
          .put("operators", new JsonArray().add(token.json().getString("id"))));
      rig.task("incoming", List.of(anna), ai, new JsonObject());
      for (int i = 1; i <= 3; i++) exchange(rig, "copy-2", "message " + i, i, 2 * i);
      assertEquals(1, rig.deps.copies().hits(), "the third message was counted from the copy");
      String id = rig.dialogue("copy-2").getString("_id");
      copyMatchingTheStore(rig, "copy-2");

      assertEquals("human", rig.http.post("/api/dialogues/" + id + "/takeover", managerToken, null).json().getString("state"));
      Http.Response reply = rig.http.post("/api/dialogues/" + id + "/messages", managerToken,
          new JsonObject().put("text", "Maria here: call me at noon."));
      assertEquals(201, reply.status(), reply.toString());
      rig.awaitReplies("copy-2", 4);
      assertEquals("open", rig.http.post("/api/dialogues/" + id + "/handback", managerToken, null).json().getString("state"));

      exchange(rig, "copy-2", "noon is fine", 5, 9);
      JsonArray sent = model.calls.get(3).body().getJsonArray("messages");
      List<String> texts = sent.stream().map(m -> ((JsonObject) m).getString("content")).toList();
      assertTrue(texts.contains("Maria here: call me at noon."), "the manager's message is in the AI's context: " + texts);
      assertEquals("noon is fine", texts.get(texts.size() - 1));
      assertEquals(1, rig.deps.copies().hits(), "the copy no longer matched the dialogue, which was read instead");
      var registry = rig.parley.parley().app().registry();
      assertEquals(1.0, registry.get(DialogueCache.METER).tag("result", "refused").counter().count(), "and the meter says so");
      assertEquals(1.0, registry.get(DialogueCache.METER).tag("result", "used").counter().count());
      exchange(rig, "copy-2", "bye", 6, 11);
      assertEquals(2, rig.deps.copies().hits(), "read again, the copy serves the next message");
      copyMatchingTheStore(rig, "copy-2");
    }
  }

  @Test
  void spendAddedMeanwhileStopsTheNextReplyAtTheCap() {
    try (ConversationRig rig = new ConversationRig(AT_ONCE)) {
      String ai = rig.scripted(new JsonArray(), "Noted.");
      rig.task("incoming", List.of(rig.manager("Anna", "")), ai, new JsonObject().put("spendLimitPerDialogue", "0.05"));
      for (int i = 1; i <= 3; i++) exchange(rig, "copy-3", "message " + i, i, 2 * i);
      assertEquals(1, rig.deps.copies().hits());
      String id = rig.dialogue("copy-3").getString("_id");
      copyMatchingTheStore(rig, "copy-3");

      // what a paid channel's price report adds to the dialogue (StatusUpdates), written outside the conversations
      rig.db.update(Collections.DIALOGUES, id, new Document("$inc", new Document("spend", new Decimal128(new BigDecimal("0.05")))));
      rig.writeAndRoute("copy-3", "message 4");
      Document blocked = Poll.until("the dialogue to be blocked", Duration.ofSeconds(10), () -> rig.dialogue("copy-3"),
          d -> "blocked".equals(d.getString("state")));
      assertEquals(AiResponder.SPEND_CAP_REACHED, blocked.getString("stateReason"));
      assertEquals(3, rig.repliesTo("copy-3").size(), "no reply past the cap");
      assertEquals(1, rig.deps.copies().hits(), "the copy's spend was not the store's: the dialogue was read");
    }
  }
}
