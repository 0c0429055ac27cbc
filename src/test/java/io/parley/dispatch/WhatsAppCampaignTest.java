package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.audience.BatchWriter;
import io.parley.channel.ChannelClients;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.channel.whatsapp.FakeGraph;
import io.parley.channel.whatsapp.MetaWebhooks;
import io.parley.store.Collections;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/**
 * A WhatsApp campaign through the real dispatcher: template openings to a fake Graph API, then Meta's
 * statuses (delivery, pricing, failure) and a contact's reply through the signed webhook.
 */
class WhatsAppCampaignTest {
  static final Instant NINE = Instant.parse("2026-11-23T09:00:00Z");
  static final String NUMBER = "106540352242922";
  static final String APP_SECRET = "campaign-app-secret";

  @Test
  void templatesOpenDialoguesAndStatusesUpdateMessagesSpendAndTargets() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      var vertx = rig.parley.parley().app().vertx();
      FakeGraph graph = DispatchRig.await(new FakeGraph().start(vertx).toCompletionStage().toCompletableFuture());
      String channel = rig.created("/api/channels", new JsonObject().put("type", "whatsapp").put("name", "Sales line")
          .put("settings", new JsonObject().put("phoneNumberId", NUMBER).put("accessToken", "EAAG-campaign")
              .put("appSecret", APP_SECRET).put("verifyToken", "v").put("apiUrl", graph.url())
              .put("prices", new JsonObject().put("marketing", "0.0625").put("utility", "0.0150"))));
      String task = rig.created("/api/tasks", new JsonObject().put("name", "webinar").put("type", "whatsapp")
          .put("format", "incoming_outgoing").put("channels", new JsonArray().add(channel))
          .put("managers", new JsonArray().add(rig.manager)).put("ai", rig.ai).put("spendLimitPerDialogue", "1")
          .put("workingHours", new JsonObject().put("from", 0).put("to", 24)).put("dailyLimitPerChannel", 10)
          .put("pauseBetweenDialogues", 3).put("openingMessage", new JsonObject().put("template", new JsonObject()
              .put("name", "spring_webinar").put("language", "en_US").put("parameters", new JsonArray().add("{{name}}")))));
      rig.upload(task, "phone,name", "+79123456789,Ann", "+7 912 345-67-90,Bob");
      assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", rig.marketer, null).status());

      rig.dispatch(channel, "me");
      rig.scheduler.advance(Duration.ofSeconds(3));
      assertEquals(List.of("79123456789", "79123456790"), graph.requests().stream().map(FakeGraph.Request::to).toList());
      assertEquals(List.of("Ann", "Bob"), graph.requests().stream().map(r -> r.body().getJsonObject("template")
          .getJsonArray("components").getJsonObject(0).getJsonArray("parameters").getJsonObject(0).getString("text")).toList());
      assertEquals("completed", rig.task(task).getString("status"));

      Document ann = rig.db.find(Collections.AUDIENCE, BatchWriter.entryId(task, "+79123456789"));
      Document bob = rig.db.find(Collections.AUDIENCE, BatchWriter.entryId(task, "+79123456790"));
      String annWamid = ann.getString("platformMessageId");
      assertEquals(annWamid, rig.db.find(Collections.MESSAGES, ann.getString("messageId")).getString("platformMessageId"));
      MetaWebhooks meta = new MetaWebhooks(rig.http, channel, NUMBER, APP_SECRET);

      // Delivered with Meta's pricing: the marketing price is spent once, however often Meta repeats it.
      JsonObject delivered = MetaWebhooks.status(annWamid, "delivered", "79123456789", NINE.plusSeconds(5), "marketing");
      assertEquals(200, meta.post(delivered).status());
      assertEquals(200, meta.post(delivered).status());
      assertEquals(200, meta.post(MetaWebhooks.status(annWamid, "read", "79123456789", NINE.plusSeconds(9), null)).status());
      assertEquals(200, meta.post(MetaWebhooks.status(annWamid, "sent", "79123456789", NINE.plusSeconds(4), "marketing")).status());
      Document annMessage = rig.db.find(Collections.MESSAGES, ann.getString("messageId"));
      assertEquals("read", annMessage.getString("status"), "a late 'sent' does not move the status back");
      assertEquals(List.of("delivered", "read", "sent"), annMessage.getList("history", Document.class).stream()
          .map(h -> h.getString("status")).toList());
      assertEquals(new BigDecimal("0.0625"), annMessage.get("cost", Decimal128.class).bigDecimalValue());
      assertEquals(new BigDecimal("0.0625"), rig.db.find(Collections.DIALOGUES, ann.getString("dialogueId"))
          .get("spend", Decimal128.class).bigDecimalValue());
      assertEquals("0.0625", rig.task(task).getJsonObject("progress").getString("spend"), "the task's spend counts it too");

      // Failed: the target fails with Meta's reason and its dialogue is closed, once.
      JsonObject failed = MetaWebhooks.failed(bob.getString("platformMessageId"), "79123456790", NINE.plusSeconds(8),
          131026, "Message undeliverable", "Unable to deliver message: the number is not on WhatsApp.");
      assertEquals(200, meta.post(failed).status());
      assertEquals(200, meta.post(failed).status());
      Document bobAfter = rig.db.find(Collections.AUDIENCE, bob.getString("_id"));
      assertEquals("failed", bobAfter.getString("state"));
      assertEquals("failed: Message undeliverable (code 131026): Unable to deliver message: the number is not on WhatsApp.",
          bobAfter.getString("reason"));
      JsonObject progress = rig.task(task).getJsonObject("progress");
      assertEquals(1L, progress.getLong("sent"));
      assertEquals(1L, progress.getLong("failed"));
      Document bobDialogue = rig.db.find(Collections.DIALOGUES, bob.getString("dialogueId"));
      assertEquals("closed", bobDialogue.getString("state"));
      assertEquals(bobAfter.getString("reason"), bobDialogue.getString("stateReason"));
      assertEquals("failed", rig.db.find(Collections.MESSAGES, bob.getString("messageId")).getString("status"));

      // Ann answers: her window opens, and a reply goes out as free text through the channel's client.
      assertEquals(200, meta.post(MetaWebhooks.text("79123456789", "wamid.ANN1", "Yes, how do I join?", rig.clock.instant())).status());
      var client = new ChannelClients(vertx, rig.clock).apply(rig.db.find(Collections.CHANNELS, channel)).orElseThrow();
      SendResult reply = DispatchRig.await(client.send(new OutgoingMessage("m-reply", ann.getString("dialogueId"),
          "+79123456789", "Here is the link", Map.of("kind", "reply"))).toCompletionStage().toCompletableFuture());
      assertInstanceOf(SendResult.Accepted.class, reply);
      assertEquals("Here is the link", graph.requests().get(2).body().getJsonObject("text").getString("body"));
      assertTrue(rig.db.find(Collections.WHATSAPP_SENT, ((SendResult.Accepted) reply).platformMessageId()) != null);
    }
  }

  @Test
  void throughputErrorsHoldTheWholeNumberAndARefusedTokenPausesTheChannel() {
    try (DispatchRig rig = new DispatchRig(NINE)) {
      FakeGraph graph = DispatchRig.await(new FakeGraph().start(rig.parley.parley().app().vertx())
          .toCompletionStage().toCompletableFuture());
      String busy = channel(rig, graph, "106540352240001");
      String busyTask = task(rig, busy, "+79123456789", "+79123456790");
      graph.thenError(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");
      graph.thenError(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");
      rig.dispatch(busy, "me");
      assertEquals(NINE.plusSeconds(3), rig.scheduler.next(), "2 s for the number, but the task's pause is 3 s");
      rig.scheduler.advance(Duration.ofSeconds(3));
      assertEquals(2, graph.requests().size());
      rig.scheduler.advanceTo(NINE.plusMillis(6_999));
      assertEquals(2, graph.requests().size(), "then 4 s: the backoff grows");
      rig.scheduler.advanceTo(NINE.plusSeconds(7));
      assertEquals(3, graph.requests().size());
      assertEquals(1L, rig.task(busyTask).getJsonObject("progress").getLong("sent"));

      String expired = channel(rig, graph, "106540352240002");
      String expiredTask = task(rig, expired, "+79123456791");
      graph.thenError(401, 190, "Error validating access token: The session has been invalidated.", null);
      rig.deploy(expired, "me", new ChannelClients(rig.parley.parley().app().vertx(), rig.clock)
          .apply(rig.db.find(Collections.CHANNELS, expired)).orElseThrow());
      Document stored = io.parley.support.Poll.until("the channel to be paused", Duration.ofSeconds(20),
          () -> rig.db.find(Collections.CHANNELS, expired), d -> "auth_failed".equals(d.getString("state")));
      assertTrue(stored.getString("stateReason").contains("The session has been invalidated. (code 190)"), stored.toJson());
      assertEquals(1L, rig.task(expiredTask).getJsonObject("progress").getLong("pending"), "the target waits for a fixed token");
    }
  }

  private static String channel(DispatchRig rig, FakeGraph graph, String number) {
    return rig.created("/api/channels", new JsonObject().put("type", "whatsapp").put("name", "line " + number)
        .put("settings", new JsonObject().put("phoneNumberId", number).put("accessToken", "EAAG-" + number)
            .put("appSecret", APP_SECRET).put("verifyToken", "v").put("apiUrl", graph.url())));
  }

  private static String task(DispatchRig rig, String channel, String... phones) {
    String task = rig.created("/api/tasks", new JsonObject().put("name", "t").put("type", "whatsapp")
        .put("format", "incoming_outgoing").put("channels", new JsonArray().add(channel))
        .put("managers", new JsonArray().add(rig.manager)).put("ai", rig.ai).put("spendLimitPerDialogue", "1")
        .put("workingHours", new JsonObject().put("from", 0).put("to", 24)).put("dailyLimitPerChannel", 10)
        .put("pauseBetweenDialogues", 3).put("openingMessage", new JsonObject().put("template", new JsonObject()
            .put("name", "hello_world").put("language", "en_US"))));
    String[] csv = new String[phones.length + 1];
    csv[0] = "phone";
    System.arraycopy(phones, 0, csv, 1, phones.length);
    rig.upload(task, csv);
    assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", rig.marketer, null).status());
    return task;
  }
}
