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

  @Test
  void whatIsNotTextIsStoredAndAnsweredAndASharedPhoneCountsAsSuccess() {
    try (TelegramRig rig = new TelegramRig(Map.of("conversation.burstWindowMillis", "0"))) {
      String manager = rig.created("/api/managers", new JsonObject().put("name", "Anna"));
      String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
          .put("scripted", new JsonObject()
              .put("rules", new JsonArray().add(new JsonObject().put("pattern", "\\+?\\d{10,15}")
                  .put("reply", "Thank you, we will call you.").put("outcome", "success")))
              .put("fallback", "Could you write it in words?")));
      String task = rig.created("/api/tasks", new JsonObject().put("name", "calls").put("type", "telegram")
          .put("format", "incoming").put("channels", new JsonArray().add(rig.channel))
          .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1"));
      assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null).status());

      rig.bot.send(6001, "olga", "Olga", new JsonObject().put("voice",
          new JsonObject().put("file_id", "v1").put("file_unique_id", "u1").put("duration", 4)));
      assertEquals(List.of("Could you write it in words?"), Poll.until("the answer to the voice note", Duration.ofSeconds(20),
          () -> rig.bot.textsTo(6001), t -> !t.isEmpty()));
      Poll.until("the answer to be recorded", Duration.ofSeconds(10), () -> rig.db.count(Collections.MESSAGES,
          new Document("direction", "out").append("status", "sent")), n -> n == 1);
      rig.clock.advance(Duration.ofSeconds(2));
      rig.bot.shareContact(6001, "olga", "Olga", "+79123456789");
      assertEquals("Thank you, we will call you.", Poll.until("the answer to the contact", Duration.ofSeconds(20),
          () -> rig.bot.textsTo(6001), t -> t.size() == 2).get(1));

      Document dialogue = Poll.until("the outcome", Duration.ofSeconds(10), () -> Fixtures.all(rig.app().store()
          .collection(Collections.DIALOGUES).find(new Document("task", task))), d -> d.size() == 1
          && "closed".equals(d.get(0).getString("state"))).get(0);
      assertEquals("success", dialogue.getString("outcome"));
      List<String> in = Fixtures.all(rig.app().store().collection(Collections.MESSAGES)
              .find(new Document("dialogue", dialogue.getString("_id")).append("direction", "in"))
              .sort(new Document("createdAt", 1))).stream().map(m -> m.getString("text")).toList();
      assertEquals(List.of("[voice]", "[contact] +79123456789 Olga"), in);
    }
  }

  /** A STOP to a bot no running task answers: no dialogue, the person suppressed, one confirmation in the chat. */
  @Test
  void aStopToABotNoTaskAnswersIsConfirmedInTheChat() {
    try (TelegramRig rig = new TelegramRig(Map.of("conversation.burstWindowMillis", "0"))) {
      rig.bot.write(5002, "ivan_p", "Ivan", "STOP");
      assertEquals(List.of("You are unsubscribed and will not receive further messages."), Poll.until("the confirmation",
          Duration.ofSeconds(20), () -> rig.bot.textsTo(5002), t -> !t.isEmpty()));
      Document confirmation = Poll.until("the confirmation to be recorded", Duration.ofSeconds(10),
          () -> rig.db.find(Collections.SUPPRESSIONS, "5002"), x -> x != null && x.get("confirmation") != null)
          .get("confirmation", Document.class);
      assertEquals("sent", confirmation.getString("status"));
      assertNotNull(rig.db.find(Collections.SUPPRESSIONS, "@ivan_p"), "every address the bot knows the person by");
      assertEquals(0L, rig.db.count(Collections.DIALOGUES, new Document()));

      rig.clock.advance(Duration.ofSeconds(2));
      long again = rig.bot.write(5002, "ivan_p", "Ivan", "stop").getLong("update_id");
      Poll.until("the second STOP to be taken", Duration.ofSeconds(20), () -> rig.bot.calls("getUpdates"),
          calls -> calls.stream().anyMatch(c -> c.params().getLong("offset", 0L) > again));
      Poll.until("the second STOP to be routed", Duration.ofSeconds(10), () -> rig.db.count(Collections.INBOUND, new Document()),
          n -> n == 0);
      assertEquals(1, rig.bot.textsTo(5002).size(), "a second STOP is not confirmed again");
    }
  }

  /** A person who opts out in a chat is suppressed under every address the bot knows them by. */
  @Test
  void aStopInTheChatKeepsOutreachToThePersonsUsernameAway() {
    try (TelegramRig rig = new TelegramRig(Map.of("conversation.burstWindowMillis", "0"))) {
      String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
          .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Hello!")));
      String inbox = rig.created("/api/tasks", new JsonObject().put("name", "bot inbox").put("type", "telegram")
          .put("format", "incoming").put("channels", new JsonArray().add(rig.channel))
          .put("managers", new JsonArray().add(rig.created("/api/managers", new JsonObject().put("name", "Anna"))))
          .put("ai", ai).put("spendLimitPerDialogue", "1"));
      assertEquals(200, rig.http.post("/api/tasks/" + inbox + "/start", TestParley.ADMIN, null).status());

      rig.bot.write(5001, "Olga_K", "Olga", "hi");
      Poll.until("the reply", Duration.ofSeconds(20), () -> rig.bot.textsTo(5001), t -> t.size() == 1);
      Poll.until("the reply to be recorded", Duration.ofSeconds(10), () -> rig.db.count(Collections.MESSAGES,
          new Document("direction", "out").append("status", "sent")), n -> n == 1);
      rig.clock.advance(Duration.ofSeconds(2));
      rig.bot.write(5001, "Olga_K", "Olga", "STOP");
      Poll.until("the confirmation", Duration.ofSeconds(20), () -> rig.bot.textsTo(5001), t -> t.size() == 2);
      Poll.until("every address suppressed", Duration.ofSeconds(10),
          () -> rig.db.count(Collections.SUPPRESSIONS, new Document()), n -> n == 2);
      assertNotNull(rig.db.find(Collections.SUPPRESSIONS, "@olga_k"));

      rig.clock.advance(Duration.ofSeconds(2));
      String sale = rig.task("Big sale!", "@olga_k", "@someone_else");
      rig.dispatch();
      rig.advanceUntil("every target tried", () -> "completed".equals(rig.task(sale).getString("status")));
      JsonObject olga = rig.target(sale, "@olga_k");
      assertEquals("skipped", olga.getString("state"));
      assertEquals("opted out", olga.getString("reason"));
      assertEquals(2, rig.bot.textsTo(5001).size(), "nothing after the confirmation: " + rig.bot.textsTo(5001));
    }
  }
}
