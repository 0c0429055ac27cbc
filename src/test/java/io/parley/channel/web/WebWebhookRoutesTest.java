package io.parley.channel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.parley.webhook.SignedHeaders;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebWebhookRoutesTest {
  static final String SECRET = StandardWebhooks.newSecret();
  static final StandardWebhooks SENDER = StandardWebhooks.forSecret(SECRET, Clock.systemUTC());
  static final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

  static TestParley parley;
  static Http http;
  static Fixtures db;
  static String channel;
  static int sequence;

  @BeforeAll
  static void start() throws Exception {
    // The channel's side only: no router takes the stored messages away.
    parley = TestParley.start(TestParley.tempDir(), Map.of("conversation.enabled", "false"), Clock.systemUTC());
    http = parley.http();
    db = new Fixtures(parley);
    // Created through the API, so the route reads the secret where the channel store keeps it.
    Http.Response created = http.post("/api/channels", TestParley.ADMIN, new JsonObject().put("type", "web")
        .put("name", "site widget").put("settings", new JsonObject()
            .put("callbackUrl", "http://127.0.0.1:9/never-called").put("secret", SECRET)));
    assertEquals(201, created.status(), created.toString());
    channel = created.json().getString("id");
    MessageConsumer<JsonObject> consumer = parley.parley().app().vertx().eventBus()
        .consumer(EventAddresses.INCOMING_MESSAGE, m -> events.add(m.body()));
    consumer.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  @BeforeEach
  void forgetEvents() {
    events.clear();
  }

  static String message(String from, String text, String id) {
    return new JsonObject().put("from", from).put("text", text).put("id", id).encode();
  }

  /** A message with a platform id no other test uses. */
  static String freshMessage() {
    return message("visitor-" + (++sequence), "hello " + sequence, "m-" + sequence + "-" + Ids.newId());
  }

  static Http.Response post(String channelId, String body, Map<String, String> headers) {
    HttpRequest.Builder b = http.builder("/webhooks/web/" + channelId, null)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return http.send(b);
  }

  static Map<String, String> signed(StandardWebhooks signer, String body) {
    return signer.sign(StandardWebhooks.newMessageId(), body.getBytes(StandardCharsets.UTF_8)).asMap();
  }

  static Http.Response deliver(String body) {
    return post(channel, body, signed(SENDER, body));
  }

  static long stored() {
    return db.count(Collections.INBOUND, new Document("channel", channel));
  }

  /** The next published event, waiting at most ten seconds. */
  static JsonObject nextEvent() throws InterruptedException {
    JsonObject event = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "no event was published within 10 s");
    return event;
  }

  /**
   * Proves that nothing was published by the requests before: events arrive in order, so the next one must
   * be this fresh message's.
   */
  static void assertNothingPublishedBefore() throws InterruptedException {
    String body = freshMessage();
    assertEquals(200, deliver(body).status());
    assertEquals(new JsonObject(body).getString("id"), nextEvent().getString("platformMessageId"));
  }

  @Test
  void storesAndPublishesASignedMessageOnce() throws InterruptedException {
    String body = message("visitor-42", "Is the webinar free?", "site-msg-1");
    long before = stored();
    Http.Response first = deliver(body);
    assertEquals(200, first.status(), first.toString());
    assertEquals(new JsonObject().put("status", "accepted"), first.json());

    Document doc = db.find(Collections.INBOUND, channel + ":site-msg-1");
    assertEquals("visitor-42", doc.getString("from"));
    assertEquals("Is the webinar free?", doc.getString("text"));
    assertEquals("site-msg-1", doc.getString("platformId"));
    assertEquals(channel, doc.getString("channel"));
    assertNotNull(doc.getDate("receivedAt"));

    JsonObject event = nextEvent();
    assertEquals(channel, event.getString("channelId"));
    assertEquals("visitor-42", event.getString("from"));
    assertEquals("Is the webinar free?", event.getString("text"));
    assertEquals("site-msg-1", event.getString("platformMessageId"));
    assertEquals(doc.getDate("receivedAt").toInstant(), Instant.parse(event.getString("receivedAt")));

    // The sender retries (a new webhook signature, the same message id): recognised, not processed again.
    Http.Response again = deliver(body);
    assertEquals(200, again.status(), again.toString());
    assertEquals(new JsonObject().put("status", "duplicate"), again.json());
    assertEquals(before + 1, stored());
    assertNothingPublishedBefore();
  }

  @Test
  void refusesUnsignedForgedAndStaleDeliveries() throws InterruptedException {
    String body = freshMessage();
    StandardWebhooks stranger = StandardWebhooks.forSecret(StandardWebhooks.newSecret(), Clock.systemUTC());
    Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
    StandardWebhooks stale = StandardWebhooks.forSecret(SECRET, tenMinutesAgo);
    String tampered = body.replace("hello", "HELLO");
    long before = stored();

    assertBadSignature(post(channel, body, Map.of()));
    assertBadSignature(post(channel, body, signed(stranger, body)));
    assertBadSignature(post(channel, body, signed(stale, body)));
    assertBadSignature(post(channel, tampered, signed(SENDER, body)));
    SignedHeaders h = SENDER.sign("msg_x", body.getBytes(StandardCharsets.UTF_8));
    assertBadSignature(post(channel, body, Map.of("webhook-id", h.id(), "webhook-signature", h.signature())));

    assertEquals(before, stored(), "a refused delivery stores nothing");
    assertNothingPublishedBefore();
  }

  static void assertBadSignature(Http.Response r) {
    assertEquals(401, r.status(), r.toString());
    assertEquals("bad_signature", r.error().getString("code"), r.toString());
    assertNotNull(r.error().getString("message"));
  }

  @Test
  void refusesBadBodiesNamingTheField() throws InterruptedException {
    long before = stored();
    refused("{\"from\": \"v\", \"text\": ", 400, "malformed_json", null);
    refused("[]", 400, "malformed_json", null);
    refused(new JsonObject().put("text", "hi").put("id", "x1").encode(), 400, "missing_field", "from");
    refused(new JsonObject().put("from", 7).put("text", "hi").put("id", "x1").encode(), 400, "wrong_type", "from");
    refused(message("v", "", "x1"), 400, "invalid_value", "text");
    refused(message("v", "x".repeat(4097), "x1"), 400, "invalid_value", "text");
    refused(message("v".repeat(257), "hi", "x1"), 400, "invalid_value", "from");
    refused(message("v", "hi", "x".repeat(257)), 400, "invalid_value", "id");
    refused(new JsonObject().put("from", "v").put("text", "hi").put("id", "x1").put("extra", 1).encode(),
        400, "unknown_field", "extra");
    assertEquals(before, stored(), "a refused delivery stores nothing");
    assertNothingPublishedBefore();
  }

  static void refused(String body, int status, String code, String field) {
    Http.Response r = deliver(body);
    assertEquals(status, r.status(), r.toString());
    assertEquals(code, r.error().getString("code"), r.toString());
    assertEquals(field, r.error().getString("field"), r.toString());
  }

  @Test
  void refusesOversizeBodiesBeforeReadingThem() {
    long before = stored();
    byte[] head = "{\"from\": \"v\", \"text\": \"".getBytes(StandardCharsets.UTF_8);
    int status = http.rawStatus("POST", "/webhooks/web/" + channel, null, "application/json", head,
        WebWebhookRoutes.MAX_BODY_BYTES + 1);
    assertEquals(413, status);
    assertEquals(before, stored());
  }

  @Test
  void unknownOrNonWebChannelsAreNotFound() {
    String telegram = db.channel("telegram");
    String body = freshMessage();
    for (String id : new String[] {Ids.newId(), "not-an-id", telegram}) {
      Http.Response r = post(id, body, signed(SENDER, body));
      assertEquals(404, r.status(), id + ": " + r);
      assertEquals("not_found", r.error().getString("code"));
    }
  }

  @Test
  void needsNoBearerTokenButApiStillDoes() {
    assertEquals(200, deliver(freshMessage()).status());
    assertEquals(401, http.get("/api/tasks", null).status());
  }
}
