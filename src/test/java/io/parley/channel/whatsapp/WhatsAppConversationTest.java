package io.parley.channel.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.App;
import io.parley.config.ParleyConfig;
import io.parley.conversation.ConversationDeps;
import io.parley.conversation.Conversations;
import io.parley.store.Collections;
import io.parley.support.Fixtures;
import io.parley.support.Poll;
import io.parley.support.StepScheduler;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Conversations on a WhatsApp Business number: Meta's signed webhook brings the contact's message, the
 * router opens their dialogue on the number's incoming task, and the AI's reply is a free-form text sent
 * through the Graph API (the contact wrote within 24 hours); Meta's statuses then follow the reply.
 */
class WhatsAppConversationTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void aContactWhoWritesToTheNumberIsAnsweredThroughTheGraphApi() {
    try (WhatsAppRig rig = new WhatsAppRig(NOW, Map.of("conversation.burstWindowMillis", "0"))) {
      String channel = rig.channel(new JsonObject());
      String manager = created(rig, "/api/managers", new JsonObject().put("name", "Lena").put("persona", "Brief"));
      String ai = created(rig, "/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
          .put("scripted", new JsonObject().put("rules", new JsonArray()
                  .add(new JsonObject().put("pattern", "call me").put("reply", "{{manager}} will call you.").put("outcome", "success")))
              .put("fallback", "Hi, {{manager}} here.")));
      String task = created(rig, "/api/tasks", new JsonObject().put("name", "number inbox").put("type", "whatsapp")
          .put("format", "incoming").put("channels", new JsonArray().add(channel))
          .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1"));
      assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null).status());
      MetaWebhooks meta = rig.webhooks(channel);

      assertEquals(200, meta.post(MetaWebhooks.text("16315551181", "wamid.in-1", "Hello", NOW.minusSeconds(5))).status());
      FakeGraph.Request first = Poll.until("the first reply", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 1).get(0);
      assertTrue(first.path().endsWith("/" + WhatsAppRig.PHONE_NUMBER_ID + "/messages"), first.path());
      assertEquals("Bearer " + WhatsAppRig.TOKEN, first.authorization());
      assertEquals("16315551181", first.to().replace("+", ""));
      assertEquals("text", first.body().getString("type"));
      assertEquals("Hi, Lena here.", first.body().getJsonObject("text").getString("body"));

      Poll.until("the first reply to be recorded", Duration.ofSeconds(10), () -> rig.db.count(Collections.MESSAGES,
          new Document("direction", "out").append("status", "sent")), n -> n == 1);
      rig.clock.advance(Duration.ofMinutes(1));
      assertEquals(200, meta.post(MetaWebhooks.text("16315551181", "wamid.in-2", "Please call me", NOW.plusSeconds(30))).status());
      FakeGraph.Request second = Poll.until("the second reply", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 2).get(1);
      assertEquals("Lena will call you.", second.body().getJsonObject("text").getString("body"));

      Document dialogue = Poll.until("the outcome", Duration.ofSeconds(10), () -> Fixtures.all(rig.parley.parley().app().store()
          .collection(Collections.DIALOGUES).find(new Document("task", task))), d -> d.size() == 1
          && "closed".equals(d.get(0).getString("state"))).get(0);
      assertEquals("success", dialogue.getString("outcome"));
      assertEquals("+16315551181", dialogue.getString("contact"));
      List<Document> messages = Poll.until("four messages stored", Duration.ofSeconds(10),
          () -> Fixtures.all(rig.parley.parley().app().store().collection(Collections.MESSAGES)
              .find(new Document("dialogue", dialogue.getString("_id"))).sort(new Document("createdAt", 1).append("_id", 1))),
          m -> m.size() == 4 && m.stream().allMatch(x -> x.get("status") != null));
      assertEquals(List.of("Hello", "Hi, Lena here.", "Please call me", "Lena will call you."),
          messages.stream().map(m -> m.getString("text")).toList());
      assertEquals(List.of("received", "sent", "received", "sent"), messages.stream().map(m -> m.getString("status")).toList());
      assertEquals(List.of(first.body().getJsonObject("text").getString("body"), second.body().getJsonObject("text").getString("body")),
          List.of(messages.get(1).getString("text"), messages.get(3).getString("text")));
    }
  }

  /**
   * The burst window counts from when Parley got each message, not from Meta's timestamp: a webhook that
   * comes late (here 3 s, the whole window) does not make its message due at once, alone. The responders
   * run on a step scheduler, so what is due when is read from it, and nothing runs until the clock moves.
   */
  @Test
  void aLateWebhookStillWaitsTheBurstWindowForTheNextMessage() {
    try (WhatsAppRig rig = new WhatsAppRig(NOW, Map.of("conversation.enabled", "false"))) {
      StepScheduler scheduler = new StepScheduler(rig.clock);
      ParleyConfig.Conversation settings = ParleyConfig.withOverrides(Map.of("conversation.enabled", "true")).conversation();
      App app = rig.parley.parley().app();
      WhatsAppRig.await(Conversations.deploy(app.vertx(), new ConversationDeps(app.store(), rig.clock, scheduler,
          app.registry(), settings))); // the default window, 3 s
      String channel = rig.channel(new JsonObject());
      String task = inbox(rig, channel, new JsonArray());
      MetaWebhooks meta = rig.webhooks(channel);

      assertEquals(200, meta.post(MetaWebhooks.text("16315551183", "wamid.late-1", "Hi", NOW.minusSeconds(3))).status());
      Poll.until("the first message's reply to be scheduled", Duration.ofSeconds(10), scheduler::size, n -> n == 1);
      assertEquals(NOW.plusSeconds(3), scheduler.next(), "due a window after Parley got it, not at once");
      assertEquals(200, meta.post(MetaWebhooks.text("16315551183", "wamid.late-2", "are you there?", NOW)).status());
      Poll.until("the second message's reply to be scheduled", Duration.ofSeconds(10), scheduler::size, n -> n == 2);
      scheduler.advance(Duration.ofSeconds(3));
      Document d = Poll.until("the burst to be answered", Duration.ofSeconds(20), () -> dialogues(rig, task),
          all -> all.size() == 1 && all.get(0).get("answeredSeq", Number.class).longValue() == 2).get(0);
      assertEquals(2L, d.get("inSeq", Number.class).longValue());
      assertEquals(1, sent(rig).size(), "one answer to both");
    }
  }

  /**
   * A reaction (an emoji on one of our messages) and Meta's notice about the contact (a changed number) are
   * stored and shown, and read with the contact's next message, but are not answered by themselves: a
   * thumbs-up to "Hello!" gets no second "Hello!".
   */
  @Test
  void aReactionOrANoticeIsKeptButNotAnsweredOnItsOwn() {
    try (WhatsAppRig rig = new WhatsAppRig(NOW, Map.of("conversation.burstWindowMillis", "0"))) {
      String channel = rig.channel(new JsonObject());
      String task = inbox(rig, channel, new JsonArray().add(new JsonObject().put("pattern", "price").put("reply", "It is free.")));
      MetaWebhooks meta = rig.webhooks(channel);

      Document d = greeted(rig, meta, task, "16315551185", "wamid.r-1");
      assertEquals("Hello!", sent(rig).get(0).body().getJsonObject("text").getString("body"));
      String replied = rig.db.find(Collections.DIALOGUES, d.getString("_id")).get("lastMessage", Document.class).getString("id");
      String wamid = rig.db.find(Collections.MESSAGES, replied).getString("platformMessageId");

      assertEquals(200, meta.post(MetaWebhooks.message("16315551185", "wamid.r-2", "reaction",
          new JsonObject().put("message_id", wamid).put("emoji", "\uD83D\uDC4D"), NOW.plusSeconds(5))).status());
      Document after = Poll.until("the reaction to be stored", Duration.ofSeconds(10), () -> dialogues(rig, task).get(0),
          dialogue -> "[reaction] \uD83D\uDC4D".equals(dialogue.get("lastMessage", Document.class).getString("text")));
      assertEquals(1L, after.get("inSeq", Number.class).longValue(), "a reaction is no message to answer");
      String notice = "Kerry's user id changed";
      assertEquals(200, meta.post(MetaWebhooks.message("16315551185", "wamid.r-n", "system", new JsonObject().put("body", notice)
          .put("type", "user_changed_user_id"), NOW.plusSeconds(6))).status());
      after = Poll.until("the notice to be stored", Duration.ofSeconds(10), () -> dialogues(rig, task).get(0),
          dialogue -> ("[system] " + notice).equals(dialogue.get("lastMessage", Document.class).getString("text")));
      assertEquals(1L, after.get("inSeq", Number.class).longValue(), "nor is Meta's notice");
      assertEquals(200, meta.post(MetaWebhooks.text("16315551185", "wamid.r-3", "what is the price?", NOW.plusSeconds(9))).status());
      List<FakeGraph.Request> replies = Poll.until("the second reply", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 2);
      assertEquals("It is free.", replies.get(1).body().getJsonObject("text").getString("body"));
      Poll.until("the second reply to be recorded", Duration.ofSeconds(10), () -> dialogues(rig, task).get(0),
          dialogue -> dialogue.get("answeredSeq", Number.class).longValue() == 2);
      assertEquals(2, sent(rig).size(), "two answers: to the greeting, and to the question");

      // the reply's message and the dialogue's answeredSeq are written side by side: the list may lag a moment
      JsonArray messages = Poll.until("six messages listed", Duration.ofSeconds(10), () -> rig.http.get("/api/dialogues/"
          + d.getString("_id"), TestParley.ADMIN).json().getJsonArray("messages"), m -> m.size() >= 6);
      assertEquals(6, messages.size());
      assertEquals(List.of("reaction [reaction] \uD83D\uDC4D", "system [system] " + notice), messages.stream()
          .map(m -> (JsonObject) m).filter(m -> m.getString("kind") != null)
          .map(m -> m.getString("kind") + " " + m.getString("text")).toList(), "each marked with its kind");
    }
  }

  /**
   * Meta's notice that a contact changed their number moves their dialogue to the new one: what they write
   * from it continues the same dialogue and is answered there; the old number, given to someone else, starts
   * afresh; an opt-out follows the person; a repeated notice moves nothing twice.
   */
  @Test
  void aContactWhoChangesTheirNumberKeepsTheirDialogue() {
    try (WhatsAppRig rig = new WhatsAppRig(NOW, Map.of("conversation.burstWindowMillis", "0"))) {
      String channel = rig.channel(new JsonObject());
      String task = inbox(rig, channel, new JsonArray().add(new JsonObject().put("pattern", "price").put("reply", "It is free.")));
      MetaWebhooks meta = rig.webhooks(channel);

      String id = greeted(rig, meta, task, "16315551186", "wamid.m-1").getString("_id");
      JsonObject changed = new JsonObject().put("body", "User Kerry changed from 16315551186 to 16315551196")
          .put("wa_id", "16315551196").put("type", "user_changed_number");
      assertEquals(200, meta.post(MetaWebhooks.message("16315551186", "wamid.m-n", "system", changed, NOW.plusSeconds(5))).status());
      // the move is several writes: wait until the notice's routing has finished, not for its first visible step
      Poll.until("the notice to be routed", Duration.ofSeconds(10), () -> rig.db.count(Collections.INBOUND, new Document()), n -> n == 0);
      Document moved = rig.db.find(Collections.DIALOGUES, id);
      assertEquals("+16315551196", moved.getString("contact"));
      assertEquals(List.of("+16315551186"), moved.getList("formerContacts", String.class));
      assertEquals(id, rig.db.find(Collections.DIALOGUE_KEYS, channel + ":+16315551196").getString("dialogue"));
      assertEquals(null, rig.db.find(Collections.DIALOGUE_KEYS, channel + ":+16315551186"), "the old number is free");

      rig.clock.advance(Duration.ofSeconds(10));
      assertEquals(200, meta.post(MetaWebhooks.text("16315551196", "wamid.m-2", "what is the price?", NOW.plusSeconds(10))).status());
      FakeGraph.Request answer = Poll.until("the answer", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 2).get(1);
      assertEquals("16315551196", answer.to().replace("+", ""), "answered at the new number");
      assertEquals("It is free.", answer.body().getJsonObject("text").getString("body"));
      Document d = Poll.until("the answer to be recorded", Duration.ofSeconds(10), () -> dialogues(rig, task),
          all -> all.size() == 1 && all.get(0).get("answeredSeq", Number.class).longValue() == 2).get(0);
      assertEquals(id, d.getString("_id"), "the same dialogue");
      JsonObject shown = rig.http.get("/api/dialogues/" + id, TestParley.ADMIN).json();
      assertEquals("+16315551196", shown.getString("contact"));
      assertEquals(new JsonArray().add("+16315551186"), shown.getJsonArray("formerContacts"));

      // Meta delivers the notice again once it was handled: nothing opens for the old number
      Poll.until("the notice to be routed", Duration.ofSeconds(10), () -> rig.db.count(Collections.INBOUND, new Document()), n -> n == 0);
      assertEquals(200, meta.post(MetaWebhooks.message("16315551186", "wamid.m-n", "system", changed, NOW.plusSeconds(5))).status());
      assertEquals(200, meta.post(MetaWebhooks.text("16315551186", "wamid.o-1", "Hello? New here", NOW.plusSeconds(20))).status());
      List<Document> both = Poll.until("the old number's new owner to get a dialogue with their message", Duration.ofSeconds(10),
          () -> dialogues(rig, task), all -> all.size() == 2 && all.stream().anyMatch(x -> !id.equals(x.getString("_id"))
              && x.get("inSeq", Number.class).longValue() == 1));
      Document stranger = both.stream().filter(x -> !id.equals(x.getString("_id"))).findFirst().orElseThrow();
      assertEquals("+16315551186", stranger.getString("contact"));
      assertEquals(List.of("Hello? New here"), Fixtures.all(rig.parley.parley().app().store().collection(Collections.MESSAGES)
          .find(new Document("dialogue", stranger.getString("_id")).append("direction", "in")))
          .stream().map(m -> m.getString("text")).toList(), "the repeated notice is not in it");

      // an opt-out follows the person to their new number
      assertEquals(200, meta.post(MetaWebhooks.text("16315551187", "wamid.s-1", "STOP", NOW.plusSeconds(30))).status());
      Poll.until("the opt-out", Duration.ofSeconds(10), () -> rig.db.find(Collections.SUPPRESSIONS, "+16315551187"), s -> s != null);
      assertEquals(200, meta.post(MetaWebhooks.message("16315551187", "wamid.s-n", "system", new JsonObject()
          .put("body", "User Ann changed from 16315551187 to 16315551197").put("wa_id", "16315551197")
          .put("type", "user_changed_number"), NOW.plusSeconds(40))).status());
      Document carried = Poll.until("the new number to be suppressed", Duration.ofSeconds(10),
          () -> rig.db.find(Collections.SUPPRESSIONS, "+16315551197"), s -> s != null);
      assertEquals("+16315551187", carried.getString("movedFrom"));
      assertEquals(null, carried.getString("source"), "their stop word's: for good");

      // a marketing stop moves as one, which resuming lifts
      assertEquals(200, meta.post(marketing("16315551189", "stop", NOW)).status());
      assertEquals(200, meta.post(MetaWebhooks.text("16315551189", "wamid.t-1", "Hi", NOW.plusSeconds(50))).status());
      Poll.until("their dialogue", Duration.ofSeconds(10), () -> rig.db.find(Collections.DIALOGUE_KEYS, channel + ":+16315551189"),
          k -> k != null);
      assertEquals(200, meta.post(MetaWebhooks.message("16315551189", "wamid.t-n", "system", new JsonObject()
          .put("body", "User Tom changed from 16315551189 to 16315551199").put("wa_id", "16315551199")
          .put("type", "user_changed_number"), NOW.plusSeconds(55))).status());
      Document marketingMoved = Poll.until("the new number suppressed", Duration.ofSeconds(10),
          () -> rig.db.find(Collections.SUPPRESSIONS, "+16315551199"), x -> x != null);
      assertEquals("whatsapp_marketing", marketingMoved.getString("source"));
    }
  }

  /**
   * A contact who stopped marketing messages is still answered when they write, and their own STOP then makes
   * the suppression theirs: confirmed once, and resuming marketing messages no longer lifts it.
   */
  @Test
  void aStopWordAfterAMarketingStopIsConfirmedAndOutlastsAResume() {
    try (WhatsAppRig rig = new WhatsAppRig(NOW, Map.of("conversation.burstWindowMillis", "0"))) {
      String channel = rig.channel(new JsonObject());
      inbox(rig, channel, new JsonArray());
      MetaWebhooks meta = rig.webhooks(channel);
      assertEquals(200, meta.post(marketing("16315551188", "stop", NOW.minusSeconds(100))).status());
      assertEquals("whatsapp_marketing", rig.db.find(Collections.SUPPRESSIONS, "+16315551188").getString("source"));

      assertEquals(200, meta.post(MetaWebhooks.text("16315551188", "wamid.k-1", "Hi", NOW.minusSeconds(50))).status());
      assertEquals("Hello!", Poll.until("the answer", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 1).get(0)
          .body().getJsonObject("text").getString("body"), "what they start is answered");
      assertEquals(200, meta.post(MetaWebhooks.text("16315551188", "wamid.k-2", "STOP", NOW.minusSeconds(40))).status());
      Poll.until("the confirmation", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 2);
      Document theirs = Poll.until("the suppression to be theirs", Duration.ofSeconds(10),
          () -> rig.db.find(Collections.SUPPRESSIONS, "+16315551188"), d -> d.getString("source") == null);
      assertEquals(channel, theirs.getString("channel"));

      assertEquals(200, meta.post(marketing("16315551188", "resume", NOW.minusSeconds(10))).status());
      assertTrue(rig.db.find(Collections.SUPPRESSIONS, "+16315551188") != null, "their stop word stands");
    }
  }

  private static JsonObject marketing(String waId, String value, Instant at) {
    return new JsonObject().put("contacts", new JsonArray().add(new JsonObject().put("wa_id", waId)))
        .put("user_preferences", new JsonArray().add(new JsonObject().put("wa_id", waId).put("category", "marketing_messages")
            .put("value", value).put("detail", "User requested to " + value + " marketing messages")
            .put("timestamp", at.getEpochSecond())));
  }

  /**
   * A STOP to a number no running task answers: no dialogue, the number suppressed, one confirmation through
   * the Graph API (the contact just wrote: a free-form text), recorded on the suppression; Meta's statuses for
   * it find no dialogue and change nothing.
   */
  @Test
  void aStopToANumberNoTaskAnswersIsConfirmedOnce() {
    try (WhatsAppRig rig = new WhatsAppRig(NOW, Map.of("conversation.burstWindowMillis", "0"))) {
      String channel = rig.channel(new JsonObject());
      MetaWebhooks meta = rig.webhooks(channel);
      assertEquals(200, meta.post(MetaWebhooks.text("16315551183", "wamid.s-1", "STOP", NOW)).status());
      FakeGraph.Request confirmation = Poll.until("the confirmation", Duration.ofSeconds(20), () -> sent(rig),
          r -> r.size() == 1).get(0);
      assertEquals("16315551183", confirmation.to().replace("+", ""));
      assertEquals("text", confirmation.body().getString("type"));
      assertEquals("You are unsubscribed and will not receive further messages.",
          confirmation.body().getJsonObject("text").getString("body"));
      Document recorded = Poll.until("the confirmation to be recorded", Duration.ofSeconds(10),
          () -> rig.db.find(Collections.SUPPRESSIONS, "+16315551183"), x -> x != null && x.get("confirmation") != null)
          .get("confirmation", Document.class);
      assertEquals("sent", recorded.getString("status"));
      assertEquals(0L, rig.db.count(Collections.DIALOGUES, new Document()));

      String wamid = recorded.getString("platformMessageId");
      Document kept = rig.db.find(Collections.WHATSAPP_SENT, wamid);
      assertTrue(kept.containsKey("dialogueId"));
      assertEquals(null, kept.getString("dialogueId"));
      assertEquals(200, meta.post(MetaWebhooks.status(wamid, "delivered", "16315551183", NOW.plusSeconds(1), "service")).status());
      assertEquals(200, meta.post(MetaWebhooks.failed(wamid, "16315551183", NOW.plusSeconds(1), 131026, "Message undeliverable",
          "Receiver is incapable of receiving this message")).status());
      assertEquals(200, meta.post(MetaWebhooks.text("16315551183", "wamid.s-2", "stop", NOW.plusSeconds(2))).status());
      Poll.until("the second STOP to be routed", Duration.ofSeconds(10), () -> rig.db.count(Collections.INBOUND, new Document()),
          n -> n == 0);
      assertEquals(1, sent(rig).size(), "a second STOP is not confirmed again");
      assertEquals(0L, rig.db.count(Collections.DIALOGUES, new Document()));
    }
  }

  /** A running incoming task on {@code channel}, manager Lena, answered by scripted {@code rules} or "Hello!". */
  private static String inbox(WhatsAppRig rig, String channel, JsonArray rules) {
    String ai = created(rig, "/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", rules).put("fallback", "Hello!")));
    String task = created(rig, "/api/tasks", new JsonObject().put("name", "number inbox").put("type", "whatsapp")
        .put("format", "incoming").put("channels", new JsonArray().add(channel))
        .put("managers", new JsonArray().add(created(rig, "/api/managers", new JsonObject().put("name", "Lena"))))
        .put("ai", ai).put("spendLimitPerDialogue", "1"));
    assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null).status());
    return task;
  }

  /** {@code from} writes "Hi" (as {@code wamid}) and is answered once: their dialogue, once the reply is recorded. */
  private static Document greeted(WhatsAppRig rig, MetaWebhooks meta, String task, String from, String wamid) {
    assertEquals(200, meta.post(MetaWebhooks.text(from, wamid, "Hi", NOW)).status());
    Poll.until("the first reply", Duration.ofSeconds(20), () -> sent(rig), r -> r.size() == 1);
    return Poll.until("the reply to be recorded", Duration.ofSeconds(10), () -> dialogues(rig, task),
        all -> all.size() == 1 && all.get(0).get("answeredSeq", Number.class).longValue() == 1).get(0);
  }

  private static List<Document> dialogues(WhatsAppRig rig, String task) {
    return Fixtures.all(rig.parley.parley().app().store().collection(Collections.DIALOGUES).find(new Document("task", task)));
  }

  private static List<FakeGraph.Request> sent(WhatsAppRig rig) {
    return rig.graph.requests().stream().filter(r -> r.path().endsWith("/messages")).toList();
  }

  private static String created(WhatsAppRig rig, String path, JsonObject body) {
    var r = rig.http.post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }
}
