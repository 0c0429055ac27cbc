package io.parley.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.parley.store.Collections;
import io.parley.support.Fixtures;
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
 * Conversations through a Telegram bot: the poller takes what people write from the fake Bot API, the
 * router opens their dialogue on the bot's incoming task, and the AI's replies go back through sendMessage.
 */
class TelegramConversationTest {
  @Test
  void aPersonWhoWritesToTheBotIsAnsweredThroughItInTheManagersPersona() {
    try (TelegramRig rig = new TelegramRig(Map.of("conversation.burstWindowMillis", "0"))) {
      String manager = rig.created("/api/managers", new JsonObject().put("name", "Anna").put("persona", "Warm"));
      String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
          .put("scripted", new JsonObject()
              .put("rules", new JsonArray().add(new JsonObject().put("pattern", "price").put("reply", "It is free, {{manager}} says.")))
              .put("fallback", "Hello, {{manager}} here.")));
      String task = rig.created("/api/tasks", new JsonObject().put("name", "bot inbox").put("type", "telegram")
          .put("format", "incoming").put("channels", new JsonArray().add(rig.channel))
          .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1"));
      assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null).status());

      rig.bot.write(5001, "olga", "Olga", "hi there");
      assertEquals(List.of("Hello, Anna here."), Poll.until("the first reply", Duration.ofSeconds(20),
          () -> rig.bot.textsTo(5001), t -> !t.isEmpty()));
      Poll.until("the first reply to be recorded", Duration.ofSeconds(10), () -> rig.db.count(Collections.MESSAGES,
          new Document("direction", "out").append("status", "sent")), n -> n == 1);
      rig.clock.advance(Duration.ofSeconds(2)); // a chat gets one message a second: the bot's next may go
      rig.bot.write(5001, "olga", "Olga", "and the price?");
      assertEquals(List.of("Hello, Anna here.", "It is free, Anna says."), Poll.until("the second reply",
          Duration.ofSeconds(20), () -> rig.bot.textsTo(5001), t -> t.size() == 2));

      Document dialogue = Fixtures.all(rig.app().store().collection(Collections.DIALOGUES)
          .find(new Document("task", task))).get(0);
      assertEquals("incoming", dialogue.getString("origin"));
      assertEquals(manager, dialogue.getString("manager"));
      List<Document> messages = Poll.until("four messages stored", Duration.ofSeconds(10),
          () -> Fixtures.all(rig.app().store().collection(Collections.MESSAGES).find(new Document("dialogue", dialogue.getString("_id")))
              .sort(new Document("createdAt", 1).append("_id", 1))), m -> m.size() == 4 && m.stream().allMatch(x -> x.get("status") != null));
      assertEquals(List.of("in", "out", "in", "out"), messages.stream().map(m -> m.getString("direction")).toList());
      assertEquals(List.of("received", "sent", "received", "sent"), messages.stream().map(m -> m.getString("status")).toList());
      assertNotNull(messages.get(3).getString("platformMessageId"), "the bot's message id is kept");
      JsonObject shown = rig.http.get("/api/dialogues/" + dialogue.getString("_id"), TestParley.ADMIN).json();
      assertEquals("It is free, Anna says.", shown.getJsonArray("messages").getJsonObject(3).getString("text"));
    }
  }
}
