package io.parley.channel.whatsapp;

import static io.parley.channel.whatsapp.WhatsAppRig.reply;
import static io.parley.channel.whatsapp.WhatsAppRig.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.channel.Channel;
import io.parley.channel.SendResult;
import io.parley.store.Collections;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WhatsApp client against a fake Graph API on 127.0.0.1: message shapes, the window, every error code. */
class WhatsAppChannelTest {
  static WhatsAppRig rig;

  @BeforeAll
  static void start() {
    rig = new WhatsAppRig(Instant.parse("2026-11-23T10:00:00Z"), Map.of("whatsapp.messagesPerSecond", "3"));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  /** Sends, then moves the clock a second on so the number's pace never interferes. */
  SendResult send(Channel channel, io.parley.channel.OutgoingMessage message) {
    SendResult result = rig.send(channel, message);
    rig.clock.advance(Duration.ofSeconds(1));
    return result;
  }

  int requests() {
    return rig.graph.requests().size();
  }

  @Test
  void opensWithATemplateAndRemembersItsWamid() {
    String id = rig.channel(new JsonObject());
    SendResult result = send(rig.client(id), template("m-open", "+79123456789", "spring_webinar", "Ann", "Acme"));
    String wamid = assertInstanceOf(SendResult.Accepted.class, result).platformMessageId();
    assertTrue(wamid.startsWith("wamid."), wamid);

    FakeGraph.Request request = rig.graph.requests().get(requests() - 1);
    assertEquals("/v23.0/" + WhatsAppRig.PHONE_NUMBER_ID + "/messages", request.path());
    assertEquals("Bearer " + WhatsAppRig.TOKEN, request.authorization());
    assertEquals(new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual")
        .put("to", "79123456789").put("type", "template").put("template", new JsonObject()
            .put("name", "spring_webinar").put("language", new JsonObject().put("code", "en_US"))
            .put("components", new JsonArray().add(new JsonObject().put("type", "body").put("parameters", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Ann"))
                .add(new JsonObject().put("type", "text").put("text", "Acme")))))), request.body());

    Document sent = rig.db.find(Collections.WHATSAPP_SENT, wamid);
    assertEquals("m-open", sent.getString("messageId"));
    assertEquals("d-m-open", sent.getString("dialogueId"));
    assertEquals(id, sent.getString("channel"));
    assertEquals("+79123456789", sent.getString("to"));
    assertEquals("template", sent.getString("kind"));
    assertEquals("spring_webinar", sent.getString("template"));
  }

  @Test
  void aTemplateWithoutParametersHasNoComponents() {
    String id = rig.channel(new JsonObject());
    assertInstanceOf(SendResult.Accepted.class, send(rig.client(id), template("m-plain", "+4915112345678", "hello_world")));
    JsonObject template = rig.graph.requests().get(requests() - 1).body().getJsonObject("template");
    assertFalse(template.containsKey("components"), template.encode());
  }

  @Test
  void freeTextOnlyWithin24HoursOfTheContactsLastMessage() {
    String id = rig.channel(new JsonObject());
    Channel channel = rig.client(id);
    int before = requests();
    SendResult closed = send(channel, reply("m-r1", "+79160000001", "Sure, tomorrow?"));
    assertEquals(new SendResult.Held("24-hour window closed: only a template can be sent"), closed);
    assertEquals(before, requests(), "nothing is sent outside the window");

    Instant wrote = rig.clock.instant();
    assertEquals(200, rig.webhooks(id).post(MetaWebhooks.text("79160000001", "wamid.IN1", "Hi, tell me more", wrote)).status());
    assertInstanceOf(SendResult.Accepted.class, send(channel, reply("m-r2", "+79160000001", "Sure, tomorrow?")));
    JsonObject body = rig.graph.requests().get(requests() - 1).body();
    assertEquals("text", body.getString("type"));
    assertEquals("Sure, tomorrow?", body.getJsonObject("text").getString("body"));
    assertEquals("79160000001", body.getString("to"));

    rig.clock.set(wrote.plus(Duration.ofHours(24)).minusSeconds(2));
    assertInstanceOf(SendResult.Accepted.class, send(channel, reply("m-r3", "+79160000001", "Still there?")));
    rig.clock.set(wrote.plus(Duration.ofHours(24)));
    assertInstanceOf(SendResult.Held.class, send(channel, reply("m-r4", "+79160000001", "Hello?")), "closed at 24 h");
    assertInstanceOf(SendResult.Accepted.class, send(channel, template("m-t", "+79160000001", "follow_up")),
        "a template may always be sent");
  }

  @Test
  void throughputErrorBacksOffTheWholeNumberLongerEachTime() {
    String id = rig.channel(new JsonObject());
    Channel channel = rig.client(id);
    rig.graph.thenError(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");
    rig.graph.thenError(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");
    SendResult.RetryLater first = assertInstanceOf(SendResult.RetryLater.class, send(channel, template("m-1", "+79160000002", "t")));
    SendResult.RetryLater second = assertInstanceOf(SendResult.RetryLater.class, send(channel, template("m-1", "+79160000002", "t")));
    assertFalse(first.recipientOnly());
    assertEquals(Duration.ofSeconds(2), first.delay());
    assertEquals(Duration.ofSeconds(4), second.delay());
    assertEquals("number over its throughput: (#130429) Rate limit hit (code 130429): Cloud API message throughput has been reached.",
        first.reason());
    assertInstanceOf(SendResult.Accepted.class, send(channel, template("m-1", "+79160000002", "t")));
    rig.graph.thenError(400, 130429, "(#130429) Rate limit hit", "again");
    assertEquals(Duration.ofSeconds(2), assertInstanceOf(SendResult.RetryLater.class,
        send(channel, template("m-2", "+79160000002", "t"))).delay(), "a success resets the backoff");
  }

  @Test
  void pairRateErrorWaitsForThatRecipientOnly() {
    String id = rig.channel(new JsonObject());
    rig.graph.thenError(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.");
    SendResult.RetryLater retry = assertInstanceOf(SendResult.RetryLater.class,
        send(rig.client(id), template("m-p", "+79160000003", "t")));
    assertTrue(retry.recipientOnly());
    assertEquals(GraphAnswer.PAIR_WAIT, retry.delay());
    assertTrue(retry.reason().contains("(code 131056): Message failed to send because"), retry.reason());
  }

  @Test
  void windowClosedErrorHoldsTheReplyAndLaterRepliesWithoutAsking() {
    String id = rig.channel(new JsonObject());
    Channel channel = rig.client(id);
    rig.webhooks(id).post(MetaWebhooks.text("79160000004", "wamid.IN4", "hello", rig.clock.instant()));
    rig.graph.thenError(400, 131047, "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
    SendResult.Held held = assertInstanceOf(SendResult.Held.class, send(channel, reply("m-w1", "+79160000004", "Hi")));
    assertEquals("24-hour window closed, re-send as a template: Re-engagement message (code 131047): Message failed to send "
        + "because more than 24 hours have passed since the customer last replied to this number.", held.reason());
    int before = requests();
    assertEquals(new SendResult.Held(WhatsAppChannel.WINDOW_CLOSED), send(channel, reply("m-w2", "+79160000004", "Hi?")));
    assertEquals(before, requests(), "Meta's word is remembered until the contact writes again");
    rig.webhooks(id).post(MetaWebhooks.text("79160000004", "wamid.IN5", "still here", rig.clock.instant()));
    assertInstanceOf(SendResult.Accepted.class, send(channel, reply("m-w3", "+79160000004", "Great")));
  }

  @Test
  void undeliverableFailsWithMetasWords() {
    String id = rig.channel(new JsonObject());
    rig.graph.thenError(400, 131026, "Message undeliverable", "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.");
    SendResult.Failed failed = assertInstanceOf(SendResult.Failed.class, send(rig.client(id), template("m-u", "+79160000005", "t")));
    assertEquals("undeliverable: Message undeliverable (code 131026): Unable to deliver message. Reasons can include: "
        + "the recipient phone number is not a WhatsApp phone number.", failed.reason());
  }

  @Test
  void refusedTokenPausesTheChannel() {
    String id = rig.channel(new JsonObject());
    rig.graph.thenError(401, 190, "Error validating access token: Session has expired on Sunday, 23-Nov-26.", null);
    SendResult.AuthFailed byCode = assertInstanceOf(SendResult.AuthFailed.class, send(rig.client(id), template("m-a", "+79160000006", "t")));
    assertEquals("access token refused: Error validating access token: Session has expired on Sunday, 23-Nov-26. (code 190)",
        byCode.reason());
    rig.graph.then(ctx -> ctx.response().setStatusCode(401).end("Unauthorized"));
    assertInstanceOf(SendResult.AuthFailed.class, send(rig.client(id), template("m-a", "+79160000006", "t")),
        "a bare 401 too");
  }

  @Test
  void serverErrorsAndTimeoutsAreRetriedWithGrowingWaits() {
    String id = rig.channel(new JsonObject());
    Channel channel = rig.client(id, new WhatsAppChannel.Options(Duration.ofSeconds(5), Duration.ofMillis(300)));
    rig.graph.thenError(500, 131000, "Something went wrong", "Message failed to send due to an unknown error.");
    rig.graph.then(ctx -> ctx.response().setStatusCode(503).end("<html>Service Unavailable</html>"));
    rig.graph.thenSilence();
    SendResult.RetryLater first = assertInstanceOf(SendResult.RetryLater.class, send(channel, template("m-s", "+79160000007", "t")));
    assertEquals(Duration.ofSeconds(5), first.delay());
    assertTrue(first.reason().contains("Something went wrong (code 131000): Message failed to send due to an unknown error."),
        first.reason());
    SendResult.RetryLater second = assertInstanceOf(SendResult.RetryLater.class, send(channel, template("m-s", "+79160000007", "t")));
    assertEquals(Duration.ofSeconds(10), second.delay());
    SendResult.RetryLater timeout = assertInstanceOf(SendResult.RetryLater.class, send(channel, template("m-s", "+79160000007", "t")));
    assertEquals(Duration.ofSeconds(20), timeout.delay());
    assertTrue(timeout.reason().startsWith("Graph API not reached"), timeout.reason());
  }

  @Test
  void otherRefusalsFailWithTheReason() {
    String id = rig.channel(new JsonObject());
    rig.graph.thenError(404, 132001, "(#132001) Template name does not exist in the translation",
        "template name (spring_webinar) does not exist in en_US");
    SendResult.Failed failed = assertInstanceOf(SendResult.Failed.class, send(rig.client(id), template("m-x", "+79160000008", "spring_webinar")));
    assertEquals("refused: (#132001) Template name does not exist in the translation (code 132001): "
        + "template name (spring_webinar) does not exist in en_US", failed.reason());
  }

  @Test
  void atMostTheConfiguredMessagesPerSecondAcrossEveryClientOfTheNumber() {
    String id = rig.channel(new JsonObject());
    Channel one = rig.client(id);
    Channel two = rig.client(id);
    rig.clock.advance(Duration.ofMillis(1));
    Instant now = rig.clock.instant();
    assertInstanceOf(SendResult.Accepted.class, rig.send(one, template("q-1", "+79160000011", "t")));
    assertInstanceOf(SendResult.Accepted.class, rig.send(two, template("q-2", "+79160000012", "t")));
    rig.clock.advance(Duration.ofMillis(400));
    assertInstanceOf(SendResult.Accepted.class, rig.send(one, template("q-3", "+79160000013", "t")));
    int before = requests();
    SendResult.RetryLater wait = assertInstanceOf(SendResult.RetryLater.class, rig.send(two, template("q-4", "+79160000014", "t")));
    assertEquals(before, requests(), "the fourth message in a second is not even tried");
    assertFalse(wait.recipientOnly());
    assertEquals(Duration.ofMillis(600), wait.delay(), "until the first of the three is a second old");
    String other = rig.channel(new JsonObject().put("phoneNumberId", "106540352242999"));
    assertInstanceOf(SendResult.Accepted.class, rig.send(rig.client(other), template("q-5", "+79160000015", "t")),
        "another number has its own pace");
    rig.clock.set(now.plusSeconds(1));
    assertInstanceOf(SendResult.Accepted.class, rig.send(two, template("q-4", "+79160000014", "t")));
  }

  @Test
  void pricesAreExactDecimalsShownWithTheSettingsAndKeptOnEdit() {
    String id = rig.channel(new JsonObject().put("prices", new JsonObject().put("marketing", "0.0625").put("utility", 0.015)));
    JsonObject shown = rig.http.get("/api/channels/" + id, TestParley.ADMIN).json().getJsonObject("settings");
    assertEquals(new JsonObject().put("marketing", "0.0625").put("utility", "0.015"), shown.getJsonObject("prices"));
    assertFalse(shown.containsKey("accessToken"), "secrets are never shown");
    var patched = rig.http.patch("/api/channels/" + id, TestParley.ADMIN, new JsonObject().put("name", "Renamed"));
    assertEquals(200, patched.status(), patched.toString());
    NumberSettings number = NumberSettings.of(rig.db.find(Collections.CHANNELS, id));
    assertEquals(new java.math.BigDecimal("0.0625"), number.price("marketing"));
    assertEquals(java.math.BigDecimal.ZERO, number.price("authentication"), "a category left out costs nothing");
  }
}
