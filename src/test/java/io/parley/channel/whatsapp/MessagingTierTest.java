package io.parley.channel.whatsapp;

import static io.parley.channel.whatsapp.WhatsAppRig.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.channel.Channel;
import io.parley.channel.SendResult;
import io.parley.store.Collections;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The messaging tier: new contacts per rolling 24 h, counted in MongoDB for every process alike. */
class MessagingTierTest {
  static final Instant NOON = Instant.parse("2026-11-23T12:20:00Z");
  static WhatsAppRig rig;

  @BeforeAll
  static void start() {
    rig = new WhatsAppRig(NOON, Map.of());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  long counted(String channelId) {
    Document doc = rig.db.find(Collections.WHATSAPP_TIER, channelId);
    return TierLimit.counted(doc.get("hours", Document.class), rig.clock.instant());
  }

  @Test
  void newContactsStopAtTheTierUntilTheOldestHourLeavesTheWindow() {
    rig.clock.set(NOON);
    String id = rig.channel(new JsonObject().put("messagingTier", 250));
    // 248 new contacts were counted three hours ago, by this process before a restart or by another one.
    rig.db.insert(Collections.WHATSAPP_TIER, new Document("_id", id).append("version", 7L)
        .append("hours", new Document("2026112309", 248L)));
    Channel channel = rig.client(id);

    assertInstanceOf(SendResult.Accepted.class, rig.send(channel, template("n-1", "+79160001001", "t")));
    assertEquals(249, counted(id));
    rig.graph.thenError(400, 131026, "Message undeliverable", "not on WhatsApp");
    assertInstanceOf(SendResult.Failed.class, rig.send(channel, template("n-2", "+79160001002", "t")));
    assertEquals(249, counted(id), "a message that did not go out gives its slot back");
    assertInstanceOf(SendResult.Accepted.class, rig.send(channel, template("n-3", "+79160001003", "t")));
    assertEquals(250, counted(id));

    int before = rig.graph.requests().size();
    SendResult.RetryLater full = assertInstanceOf(SendResult.RetryLater.class,
        rig.send(channel, template("n-4", "+79160001004", "t")));
    assertEquals(before, rig.graph.requests().size());
    assertTrue(!full.recipientOnly() && full.reason().contains("250 new contacts per 24 h"), full.reason());
    // The 09:00 hour counts until 10:00 the next day (25 h after it began, never less than 24 h per contact).
    assertEquals(Duration.between(NOON, Instant.parse("2026-11-24T10:00:00Z")), full.delay());

    assertInstanceOf(SendResult.Accepted.class, rig.send(channel, template("n-5", "+79160001001", "t")),
        "a contact counted within 24 h is not new again");
    assertEquals(250, counted(id));

    rig.clock.set(Instant.parse("2026-11-24T10:00:00Z"));
    assertInstanceOf(SendResult.Accepted.class, rig.send(rig.client(id), template("n-4", "+79160001004", "t")));
    assertEquals(3, counted(id), "the 248 left the window; today's 2 plus this one remain");
  }

  @Test
  void twoProcessesNeverTakeMoreThanTheTierBetweenThem() {
    rig.clock.set(NOON);
    String id = rig.channel(new JsonObject());
    rig.db.insert(Collections.WHATSAPP_TIER, new Document("_id", id).append("version", 1L)
        .append("hours", new Document("2026112312", 230L)));
    // Each TierLimit stands for one process: they share nothing but MongoDB.
    TierLimit first = new TierLimit(rig.parley.parley().app().store());
    TierLimit second = new TierLimit(rig.parley.parley().app().store());
    // Each sends one message at a time, as a channel's dispatcher does; the two race each other.
    List<TierLimit.Slot> slots = rig.onContext(() -> Future.all(takes(first, id, 30), takes(second, id, 30))
        .map(both -> {
          List<TierLimit.Slot> all = new ArrayList<>(both.<List<TierLimit.Slot>>resultAt(0));
          all.addAll(both.<List<TierLimit.Slot>>resultAt(1));
          return all;
        }));
    assertEquals(60, slots.size());
    assertEquals(20, slots.stream().filter(TierLimit.Slot::taken).count());
    assertEquals(250, counted(id));
  }

  private static Future<List<TierLimit.Slot>> takes(TierLimit tier, String channelId, int n) {
    Future<List<TierLimit.Slot>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      chain = chain.compose(list -> tier.take(channelId, 250, NOON).map(slot -> {
        list.add(slot);
        return list;
      }));
    }
    return chain;
  }
}
