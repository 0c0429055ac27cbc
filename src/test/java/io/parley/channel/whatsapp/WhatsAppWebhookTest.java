package io.parley.channel.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /webhooks/whatsapp/{channelId}}: the handshake, signatures, messages of every type, repeats. */
class WhatsAppWebhookTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static WhatsAppRig rig;
  static String channel;
  static MetaWebhooks meta;
  static final List<JsonObject> published = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    // The channel's side only: no router takes the stored messages away.
    rig = new WhatsAppRig(NOW, Map.of("http.maxBodyBytes", "4096", "conversation.enabled", "false"));
    channel = rig.channel(new JsonObject());
    meta = rig.webhooks(channel);
    rig.vertx.eventBus().<JsonObject>consumer(EventAddresses.INCOMING_MESSAGE, m -> published.add(m.body()));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  Http.Response handshake(String id, String query) {
    return rig.http.get("/webhooks/whatsapp/" + id + "?" + query, null);
  }

  long inbound() {
    return rig.db.count(Collections.INBOUND, new Document("channel", channel));
  }

  @Test
  void handshakeEchoesTheChallengeOnlyForTheVerifyToken() {
    Http.Response ok = handshake(channel, "hub.mode=subscribe&hub.verify_token=" + WhatsAppRig.VERIFY_TOKEN + "&hub.challenge=1158201444");
    assertEquals(200, ok.status());
    assertEquals("1158201444", ok.body());
    assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

    for (String bad : List.of("hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=" + WhatsAppRig.VERIFY_TOKEN + "&hub.challenge=1",
        "hub.verify_token=" + WhatsAppRig.VERIFY_TOKEN + "&hub.challenge=1",
        "hub.mode=subscribe&hub.challenge=1")) {
      Http.Response refused = handshake(channel, bad);
      assertEquals(403, refused.status(), bad);
      assertEquals("forbidden", refused.error().getString("code"));
    }
    assertEquals(404, handshake("no-such-channel", "hub.mode=subscribe&hub.verify_token=x&hub.challenge=1").status());
  }

  @Test
  void unsignedOrWronglySignedPostsAreRefusedAndStoreNothing() {
    String body = meta.envelope(MetaWebhooks.text("16315550099", "wamid.SIG1", "hello", NOW)).encode();
    long before = inbound();
    Http.Response unsigned = meta.postUnsigned(body);
    assertEquals(401, unsigned.status());
    assertEquals("bad_signature", unsigned.error().getString("code"));
    assertEquals(401, meta.postRaw(body, MetaWebhooks.sign("another-app-secret", body)).status());
    assertEquals(401, meta.postRaw(body, "sha256=" + "0".repeat(64)).status());
    assertEquals(401, meta.postRaw(body, MetaWebhooks.sign(WhatsAppRig.APP_SECRET, body).substring(7)).status(),
        "the sha256= prefix is part of the header");
    String tampered = body.replace("hello", "HELLO");
    assertEquals(401, meta.postRaw(tampered, MetaWebhooks.sign(WhatsAppRig.APP_SECRET, body)).status());
    assertEquals(before, inbound());
    assertNull(rig.db.find(Collections.WHATSAPP_CONTACTS, channel + ":+16315550099"), "not even the window opened");
  }

  @Test
  void badBodiesAreRefusedClearly() {
    assertEquals(400, meta.postRaw("{\"entry\": [", null).status());
    Http.Response notArray = meta.postRaw("{\"object\":\"whatsapp_business_account\",\"entry\":{}}", null);
    assertEquals(400, notArray.status());
    assertEquals("entry", notArray.error().getString("field"));
    String big = meta.envelope(MetaWebhooks.text("16315551181", "wamid.BIG", "x".repeat(5000), NOW)).encode();
    assertEquals(413, meta.postRaw(big, null).status());
    assertEquals(404, new MetaWebhooks(rig.http, "unknown", WhatsAppRig.PHONE_NUMBER_ID, WhatsAppRig.APP_SECRET)
        .post(MetaWebhooks.text("16315551181", "wamid.X", "hi", NOW)).status());
    assertEquals(0, rig.db.count(Collections.INBOUND, new Document("platformId", "wamid.BIG")));
  }

  @Test
  void aTextMessageIsStoredAndPublishedOnceAndOpensTheWindow() {
    Instant wrote = NOW.minusSeconds(30);
    JsonObject value = MetaWebhooks.text("16315551181", "wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQTdBMTU5", "Is the webinar free?", wrote);
    Http.Response first = meta.post(value);
    assertEquals(200, first.status(), first.toString());
    assertEquals(new JsonObject().put("messages", 1).put("duplicates", 0).put("statuses", 0).put("preferences", 0), first.json());
    Document stored = rig.db.find(Collections.INBOUND, channel + ":wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQTdBMTU5");
    assertEquals("+16315551181", stored.getString("from"), "phones are E.164, as in audiences");
    assertEquals("Is the webinar free?", stored.getString("text"));
    assertEquals("text", stored.getString("type"));
    assertEquals("Kerry Fisher", stored.getString("profileName"));
    assertEquals(wrote, stored.getDate("receivedAt").toInstant());
    Poll.until("the message to be published", Duration.ofSeconds(10), () -> published.stream()
        .filter(m -> m.getString("platformMessageId").startsWith("wamid.HBgLMTYzMTU1")).count(), n -> n == 1);

    Http.Response again = meta.post(value);
    assertEquals(new JsonObject().put("messages", 0).put("duplicates", 1).put("statuses", 0).put("preferences", 0), again.json());
    assertEquals(1, published.stream().filter(m -> m.getString("platformMessageId").startsWith("wamid.HBgLMTYzMTU1")).count(),
        "a redelivery is not published again");
    Document contact = rig.db.find(Collections.WHATSAPP_CONTACTS, channel + ":+16315551181");
    assertEquals(wrote, contact.getDate("lastIncomingAt").toInstant());
  }

  @Test
  void otherMessageTypesAreRecordedWithTheirType() {
    Map<String, JsonObject> parts = Map.of(
        "image", new JsonObject().put("caption", "our office").put("mime_type", "image/jpeg").put("id", "1"),
        "audio", new JsonObject().put("mime_type", "audio/ogg; codecs=opus").put("id", "2"),
        "location", new JsonObject().put("latitude", 55.7558).put("longitude", 37.6173).put("name", "Red Square"),
        "button", new JsonObject().put("text", "Yes, sign me up").put("payload", "YES"),
        "interactive", new JsonObject().put("type", "button_reply")
            .put("button_reply", new JsonObject().put("id", "b1").put("title", "Call me")),
        "unsupported", new JsonObject());
    Map<String, String> expected = Map.of("image", "[image] our office", "audio", "[audio]",
        "location", "[location] 55.7558,37.6173 Red Square", "button", "Yes, sign me up",
        "interactive", "Call me", "unsupported", "[unsupported]");
    parts.forEach((type, part) -> {
      String id = "wamid.TYPE-" + type;
      assertEquals(200, meta.post(MetaWebhooks.message("16315551182", id, type, part, NOW)).status());
      Document stored = rig.db.find(Collections.INBOUND, channel + ":" + id);
      assertEquals(type, stored.getString("type"));
      assertEquals(expected.get(type), stored.getString("text"), type);
    });
  }

  /**
   * Meta's {@code user_preferences}: a contact who stops marketing messages is suppressed (no outreach opens a
   * dialogue with them), and lifted when they resume; a late webhook of an earlier choice changes nothing, and
   * resuming does not lift a suppression their own stop word made.
   */
  @Test
  void aContactWhoStopsMarketingMessagesIsSuppressedUntilTheyResume() {
    Http.Response r = meta.post(preference("16315550123", "marketing_messages", "stop", NOW.minusSeconds(300)));
    assertEquals(200, r.status(), r.toString());
    assertEquals(1, r.json().getInteger("preferences"));
    Document suppressed = rig.db.find(Collections.SUPPRESSIONS, "+16315550123");
    assertEquals(MarketingPreferences.SOURCE, suppressed.getString("source"));
    assertEquals(channel, suppressed.getString("channel"));

    assertEquals(200, meta.post(preference("16315550123", "marketing_messages", "resume", NOW.minusSeconds(400))).status());
    assertNotNull(rig.db.find(Collections.SUPPRESSIONS, "+16315550123"), "an earlier choice, delivered late");
    assertEquals(200, meta.post(preference("16315550123", "marketing_messages", "resume", NOW.minusSeconds(100))).status());
    assertNull(rig.db.find(Collections.SUPPRESSIONS, "+16315550123"), "resumed");
    assertEquals(200, meta.post(preference("16315550123", "marketing_messages", "stop", NOW.minusSeconds(200))).status());
    assertNull(rig.db.find(Collections.SUPPRESSIONS, "+16315550123"), "the late stop came before the resume");

    rig.db.insert(Collections.SUPPRESSIONS, new Document("_id", "+16315550124").append("channel", channel)
        .append("at", java.util.Date.from(NOW.minusSeconds(900)))); // their stop word
    assertEquals(200, meta.post(preference("16315550124", "marketing_messages", "stop", NOW.minusSeconds(60))).status());
    assertEquals(200, meta.post(preference("16315550124", "marketing_messages", "resume", NOW.minusSeconds(30))).status());
    Document stands = rig.db.find(Collections.SUPPRESSIONS, "+16315550124");
    assertNotNull(stands, "a stop word's suppression stands");
    assertNull(stands.getString("source"));

    assertEquals(200, meta.post(preference("16315550125", "other_messages", "stop", NOW.minusSeconds(10))).status());
    assertNull(rig.db.find(Collections.SUPPRESSIONS, "+16315550125"), "only marketing messages are Parley's");
  }

  private static JsonObject preference(String waId, String category, String value, Instant at) {
    return new JsonObject()
        .put("contacts", new JsonArray().add(new JsonObject().put("profile", new JsonObject().put("name", "Kerry")).put("wa_id", waId)))
        .put("user_preferences", new JsonArray().add(new JsonObject().put("wa_id", waId)
            .put("detail", "User requested to " + value + " marketing messages").put("category", category)
            .put("value", value).put("timestamp", at.getEpochSecond())));
  }

  @Test
  void changesForAnotherNumberAreIgnored() {
    MetaWebhooks otherNumber = new MetaWebhooks(rig.http, channel, "999999999999", WhatsAppRig.APP_SECRET);
    Http.Response r = otherNumber.post(MetaWebhooks.text("16315551183", "wamid.OTHER", "hi", NOW));
    assertEquals(200, r.status());
    assertEquals(0, r.json().getInteger("messages"));
    assertNull(rig.db.find(Collections.INBOUND, channel + ":wamid.OTHER"));
  }
}
