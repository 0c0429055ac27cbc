package io.parley.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.parley.EventAddresses;
import io.parley.channel.SendResult;
import io.parley.store.Collections;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Outreach through a Telegram bot: the dispatcher, the real TelegramBots client and a fake Bot API. */
class TelegramOutreachTest {
  @Test
  void messagesPeopleWhoStartedTheBotAndTheOthersOnceTheyDo() {
    try (TelegramRig rig = new TelegramRig()) {
      rig.writes(101, "Ann_Smith", "Ann", "/start");
      rig.writes(202, null, "Bob", "/start");
      String task = rig.task("Hi! Join our webinar?", "@ann_smith", "202", "+79123456789");
      rig.dispatch();
      rig.advanceUntil("every target tried", () -> "completed".equals(rig.task(task).getString("status")));
      assertEquals(List.of("Hi! Join our webinar?"), rig.bot.textsTo(101));
      assertEquals(List.of("Hi! Join our webinar?"), rig.bot.textsTo(202));
      JsonObject carl = rig.target(task, "+79123456789");
      assertEquals("skipped", carl.getString("state"));
      assertEquals("unreachable: has not started the bot", carl.getString("reason"));

      // Carl starts the bot and shares his phone: he is reachable now, and the task messages him.
      rig.bot.write(303, "carl_x", "Carl", "/start");
      rig.bot.shareContact(303, "carl_x", "Carl", "+7 (912) 345-67-89");
      Poll.until("Carl back in line", Duration.ofSeconds(20), () -> rig.target(task, "+79123456789").getString("state"),
          "pending"::equals);
      // the entry is pending first, then the task reopens: a few store writes apart
      Poll.until("the completed task runs again", Duration.ofSeconds(20), () -> rig.task(task).getString("status"),
          "in_progress"::equals);
      rig.advanceUntil("Carl messaged", () -> !rig.bot.textsTo(303).isEmpty());
      assertEquals(List.of("Hi! Join our webinar?"), rig.bot.textsTo(303));
      Poll.until("Carl sent", Duration.ofSeconds(20), () -> rig.target(task, "+79123456789").getString("state"), "sent"::equals);
      JsonObject done = Poll.until("completed again", Duration.ofSeconds(20), () -> rig.task(task),
          t -> "completed".equals(t.getString("status")));
      assertEquals(3L, done.getJsonObject("progress").getLong("sent"));
      assertEquals(0L, done.getJsonObject("progress").getLong("skipped"));

      // Replies come in under the address each dialogue was opened with.
      rig.bot.write(303, "carl_x", "Carl", "Yes please");
      rig.bot.write(101, "Ann_Smith", "Ann", "What time?");
      Poll.until("two replies", Duration.ofSeconds(20), () -> rig.db.count(Collections.MESSAGES, Filters.eq("direction", "in")),
          n -> n == 2);
      assertEquals(1, rig.db.count(Collections.MESSAGES, Filters.and(Filters.eq("dialogue", dialogue(rig, task, "+79123456789")),
          Filters.eq("text", "Yes please"))));
      assertEquals(1, rig.db.count(Collections.MESSAGES, Filters.and(Filters.eq("dialogue", dialogue(rig, task, "@ann_smith")),
          Filters.eq("text", "What time?"))));
    }
  }

  @Test
  void aDeepLinkAttributesThePersonAndMakesThemATarget() {
    try (TelegramRig rig = new TelegramRig()) {
      rig.writes(101, "Ann_Smith", "Ann", "/start");
      String task = rig.task("Welcome to the sale!", "@ann_smith");
      JsonObject links = rig.task(task).getJsonObject("telegram");
      assertEquals(new io.vertx.core.json.JsonArray().add(new JsonObject().put("channel", rig.channel)
          .put("url", "https://t.me/parley_test_bot?start=" + task)), links.getJsonArray("deepLinks"));
      rig.dispatch();
      rig.advanceUntil("Ann messaged", () -> !rig.bot.textsTo(101).isEmpty());

      rig.writes(404, "Dana_D", "Dana", "/start " + task);
      Poll.until("Dana attributed", Duration.ofSeconds(20), () -> rig.contact(404).getList("tasks", String.class),
          t -> t != null && t.contains(task));
      Poll.until("Dana a target", Duration.ofSeconds(20), () -> rig.target(task, "@dana_d"), t -> t != null);
      rig.advanceUntil("Dana messaged", () -> !rig.bot.textsTo(404).isEmpty());
      assertEquals(List.of("Welcome to the sale!"), rig.bot.textsTo(404));

      rig.writes(505, null, "Eve", "/start 0123456789abcdef01234567"); // no such task: recorded as a contact only
      assertEquals(null, rig.contact(505).get("tasks"));
      rig.bot.write(404, "Dana_D", "Dana", "/start " + task); // the link again: no second target, no second message
      rig.bot.write(404, "Dana_D", "Dana", "thanks");
      Poll.until("Dana's reply", Duration.ofSeconds(20), () -> rig.db.count(Collections.MESSAGES, Filters.eq("direction", "in")),
          n -> n == 1);
      assertEquals(1, rig.db.count(Collections.MESSAGES, Filters.and(Filters.eq("dialogue", dialogue(rig, task, "@dana_d")),
          Filters.eq("text", "thanks"))));
      assertEquals(2L, rig.task(task).getJsonObject("progress").getLong("sent"));
      assertEquals(List.of("Welcome to the sale!"), rig.bot.textsTo(404));
    }
  }

  @Test
  void a429MakesTheWholeBotWaitRetryAfter() {
    try (TelegramRig rig = new TelegramRig()) {
      rig.writes(101, "Ann_Smith", "Ann", "/start");
      rig.writes(202, null, "Bob", "/start");
      rig.bot.failNextSend(429, "Too Many Requests: retry after 30", 30);
      String task = rig.task("Hello", "@ann_smith", "202");
      rig.dispatch();
      assertEquals(1, rig.bot.calls("sendMessage").size());
      SendResult meanwhile = rig.send("202", "a reply from the conversation side");
      assertInstanceOf(SendResult.RetryLater.class, meanwhile, "every sender of the bot waits, not only the dispatcher");
      rig.scheduler.advance(Duration.ofSeconds(29));
      assertEquals(1, rig.bot.calls("sendMessage").size(), "nothing is sent before retry_after has passed");
      rig.advanceUntil("both sent", () -> rig.bot.textsTo(101).size() == 1 && rig.bot.textsTo(202).size() == 1);
      assertTrue(rig.clock.instant().isAfter(TelegramRig.NINE.plusSeconds(29)));
      Poll.until("sent twice", Duration.ofSeconds(20), () -> rig.task(task).getJsonObject("progress").getLong("sent"), n -> n == 2);
    }
  }

  @Test
  void aBlockedBotFailsTheTargetAndClosesTheDialogue() {
    try (TelegramRig rig = new TelegramRig()) {
      rig.writes(101, "Ann_Smith", "Ann", "/start");
      rig.bot.block(101);
      String task = rig.task("Hello", "@ann_smith");
      rig.dispatch();
      JsonObject ann = Poll.until("Ann failed", Duration.ofSeconds(20), () -> rig.target(task, "@ann_smith"),
          t -> "failed".equals(t.getString("state")));
      assertEquals("blocked", ann.getString("reason"));

      rig.clock.advance(Duration.ofSeconds(1)); // one message a second to a chat, refused ones included
      String dialogue = io.parley.store.Ids.newId();
      rig.db.insert(Collections.DIALOGUES, new Document("_id", dialogue).append("task", task).append("channel", rig.channel)
          .append("contact", "@ann_smith").append("state", "open"));
      List<JsonObject> feed = new CopyOnWriteArrayList<>();
      TelegramRig.await(rig.app().vertx().eventBus().<JsonObject>consumer(EventAddresses.DIALOGUE_UPDATED,
          m -> feed.add(m.body())).completion());
      SendResult reply = TelegramRig.await(rig.channel().send(
          new io.parley.channel.OutgoingMessage(io.parley.store.Ids.newId(), dialogue, "@ann_smith", "Are you there?")));
      assertEquals(new SendResult.Failed("blocked"), reply);
      Document closed = rig.db.find(Collections.DIALOGUES, dialogue);
      assertEquals("closed", closed.getString("state"));
      // as the managers' list shows any closed dialogue: why, and since when
      JsonObject shown = rig.http.get("/api/dialogues/" + dialogue, TestParley.ADMIN).json();
      assertEquals("blocked", shown.getString("stateReason"));
      assertEquals(rig.clock.instant().toString(), shown.getString("closedAt"));
      JsonObject event = Poll.until("the managers' feed told", Duration.ofSeconds(5),
          () -> feed.stream().filter(e -> dialogue.equals(e.getString("dialogueId"))).findFirst().orElse(null), e -> e != null);
      assertEquals("state", event.getString("kind"));
      assertEquals("closed", event.getString("state"));
      assertEquals("blocked", event.getString("reason"));

      rig.clock.advance(Duration.ofSeconds(1));
      assertEquals(new SendResult.Failed("blocked"), TelegramRig.await(rig.channel().send(
          new io.parley.channel.OutgoingMessage(io.parley.store.Ids.newId(), dialogue, "@ann_smith", "Still there?"))));
      assertEquals(closed.getDate("closedAt"), rig.db.find(Collections.DIALOGUES, dialogue).getDate("closedAt"),
          "closed once: a later refusal changes nothing");
    }
  }

  @Test
  void aRefusedTokenMarksTheChannelAuthFailed() {
    try (TelegramRig rig = new TelegramRig()) {
      rig.writes(101, "Ann_Smith", "Ann", "/start");
      String task = rig.task("Hello", "@ann_smith");
      rig.bot.token = "424242:revoked";
      TelegramRig.await(rig.app().vertx().deployVerticle(new io.parley.dispatch.ChannelDispatcher(rig.channel, rig.channel(), "me",
          new io.parley.dispatch.ChannelDispatcher.Deps(rig.app().store(), rig.clock, rig.scheduler, rig.app().registry(),
              new io.parley.config.ParleyConfig.Dispatch(true, 15, 5, 10, 3, 0)))));
      Document channel = Poll.until("auth_failed", Duration.ofSeconds(20), () -> rig.db.find(Collections.CHANNELS, rig.channel),
          c -> "auth_failed".equals(c.getString("state")));
      assertTrue(channel.getString("stateReason").contains("401"), channel.getString("stateReason"));
      Poll.until("Ann given back", Duration.ofSeconds(20), () -> rig.target(task, "@ann_smith").getString("state"), "pending"::equals);
      assertEquals(List.of(), rig.bot.textsTo(101));
    }
  }

  @Test
  void longTextsGoOutInPartsAndOneChatGetsAMessageASecond() {
    try (TelegramRig rig = new TelegramRig()) {
      rig.writes(101, "Ann_Smith", "Ann", "/start");
      String text = "First line of a long answer.\n" + "Lorem ipsum dolor sit amet. ".repeat(200);
      SendResult sent = rig.send("@ann_smith", text);
      assertInstanceOf(SendResult.Accepted.class, sent);
      List<String> parts = rig.bot.textsTo(101);
      assertEquals(2, parts.size());
      parts.forEach(p -> assertTrue(p.length() <= 4096));
      assertTrue(parts.get(0).endsWith("amet."), "cut at a sentence end");
      assertEquals(text.strip(), parts.get(0) + " " + parts.get(1));
      assertEquals(2, ((SendResult.Accepted) sent).platformMessageId().split(",").length);

      SendResult next = rig.send("@ann_smith", "and one more thing");
      SendResult.RetryLater wait = assertInstanceOf(SendResult.RetryLater.class, next);
      assertTrue(wait.recipientOnly(), "only this chat waits");
      assertEquals(Duration.ofSeconds(1), wait.delay());
      assertInstanceOf(SendResult.Unreachable.class, rig.send("@nobody_here", "hello"));
      rig.clock.advance(Duration.ofSeconds(1));
      assertInstanceOf(SendResult.Accepted.class, rig.send("@ann_smith", "and one more thing"));
    }
  }

  /** The one dialogue of {@code task} with {@code contact}. */
  private static String dialogue(TelegramRig rig, String task, String contact) {
    assertEquals(1, rig.db.count(Collections.DIALOGUES, Filters.and(Filters.eq("task", task), Filters.eq("contact", contact))));
    return rig.db.find(Collections.DIALOGUE_KEYS, rig.channel + ":" + contact).getString("dialogue");
  }
}
