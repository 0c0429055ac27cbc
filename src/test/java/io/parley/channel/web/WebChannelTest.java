package io.parley.channel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.support.FakeReceiver;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WebChannelTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
  static final String SECRET = StandardWebhooks.newSecret();
  static final Duration RETRY = Duration.ofSeconds(42);
  static final WebChannel.Options OPTIONS = new WebChannel.Options(Duration.ofSeconds(5), Duration.ofSeconds(10), RETRY);
  // Only the silent receiver's test waits for a timeout; a short one there, generous ones elsewhere (a cold
  // JVM can take a while to answer the first request).
  static final WebChannel.Options IMPATIENT = new WebChannel.Options(Duration.ofSeconds(5), Duration.ofMillis(300), RETRY);
  static final OutgoingMessage HELLO = new OutgoingMessage("msg_dialogue1_1", "d-1", "visitor-7", "Hello there!",
      Map.of("ignored", "by the web channel"));

  FakeReceiver receiver;
  WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(CLOCK).plusSeconds(120));
    receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(SECRET, CLOCK))
        .answer("/ok", r -> r.json(new JsonObject().put("id", "r-1")))
        .answer("/no-id", r -> r.response().setStatusCode(204).end())
        .answer("/busy", r -> r.response().setStatusCode(429).putHeader("Retry-After", "7").end())
        .answer("/unavailable", r -> r.response().setStatusCode(503).putHeader("Retry-After", httpDate).end())
        .answer("/broken", r -> r.response().setStatusCode(500).end("oops"))
        .answer("/gone", r -> r.response().setStatusCode(410).end())
        .answer("/bad", r -> r.response().setStatusCode(400).end("to is unknown " + "x".repeat(300)))
        .answer("/silent", r -> { /* never answers: the channel must give up on its own */ });
    receiver.start(vertx).onComplete(ctx.succeedingThenComplete());
  }

  WebChannel channel(String path) {
    return channel(path, SECRET, OPTIONS);
  }

  WebChannel channel(String path, String secret, WebChannel.Options options) {
    Document doc = new Document("_id", "c-web").append("type", "web").append("name", "site widget")
        .append("settings", new Document("callbackUrl", receiver.url(path)))
        .append("secrets", new Document("secret", secret));
    return WebChannel.from(null, client, doc, CLOCK, options);
  }

  /** Sends HELLO through {@code path} and hands the result to {@code check}. */
  void expect(VertxTestContext ctx, String path, Consumer<SendResult> check) {
    channel(path).send(HELLO).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      check.accept(result);
      ctx.completeNow();
    })));
  }

  @Test
  void postsSignedJsonAndTakesTheReceiversId(VertxTestContext ctx) {
    expect(ctx, "/ok", result -> {
      assertEquals(new SendResult.Accepted("r-1"), result);
      assertEquals(1, receiver.deliveries().size());
      FakeReceiver.Delivery d = receiver.deliveries().get(0);
      assertEquals("msg_dialogue1_1", d.webhookId());
      assertEquals(new JsonObject().put("dialogueId", "d-1").put("to", "visitor-7").put("text", "Hello there!"), d.body());
    });
  }

  @Test
  void usesTheWebhookIdWhenTheReceiverNamesNone(VertxTestContext ctx) {
    expect(ctx, "/no-id", result -> assertEquals(new SendResult.Accepted("msg_dialogue1_1"), result));
  }

  @Test
  void everyRetryCarriesTheSameWebhookId(VertxTestContext ctx) {
    WebChannel channel = channel("/ok");
    channel.send(HELLO).compose(first -> channel.send(HELLO)).onComplete(ctx.succeeding(second -> ctx.verify(() -> {
      assertEquals(2, receiver.deliveries().size());
      assertEquals(receiver.deliveries().get(0).webhookId(), receiver.deliveries().get(1).webhookId());
      ctx.completeNow();
    })));
  }

  @Test
  void honoursRetryAfterSeconds(VertxTestContext ctx) {
    expect(ctx, "/busy", result -> assertEquals(new SendResult.RetryLater(Duration.ofSeconds(7), "receiver is busy (429)"), result));
  }

  @Test
  void honoursRetryAfterAsHttpDate(VertxTestContext ctx) {
    expect(ctx, "/unavailable",
        result -> assertEquals(new SendResult.RetryLater(Duration.ofSeconds(120), "receiver is busy (503)"), result));
  }

  @Test
  void retriesServerErrorsAfterTheConfiguredDelay(VertxTestContext ctx) {
    expect(ctx, "/broken", result -> assertEquals(new SendResult.RetryLater(RETRY, "receiver failed (500)"), result));
  }

  @Test
  void goneIsPermanent(VertxTestContext ctx) {
    expect(ctx, "/gone", result -> assertEquals(new SendResult.Failed("receiver gone (410)"), result));
  }

  @Test
  void otherClientErrorsFailWithStatusAndBodyExcerpt(VertxTestContext ctx) {
    expect(ctx, "/bad", result -> {
      String reason = assertInstanceOf(SendResult.Failed.class, result).reason();
      assertTrue(reason.startsWith("receiver refused (400): to is unknown xxx"), reason);
      assertEquals("receiver refused (400): ".length() + 200, reason.length(), reason);
    });
  }

  @Test
  void aReceiverThatRefusesTheSignatureIsAnAuthFailure(VertxTestContext ctx) {
    channel("/ok", StandardWebhooks.newSecret(), OPTIONS).send(HELLO).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      String reason = assertInstanceOf(SendResult.AuthFailed.class, result).reason();
      assertTrue(reason.startsWith("receiver refused the signature (401)"), reason);
      assertTrue(receiver.deliveries().isEmpty());
      ctx.completeNow();
    })));
  }

  @Test
  void timeoutIsRetried(VertxTestContext ctx) {
    channel("/silent", SECRET, IMPATIENT).send(HELLO).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      SendResult.RetryLater retry = assertInstanceOf(SendResult.RetryLater.class, result);
      assertEquals(RETRY, retry.delay());
      assertTrue(retry.reason().startsWith("receiver not reached"), retry.reason());
      assertEquals(1, receiver.deliveries().size(), "the request did arrive; only the answer was missing");
      ctx.completeNow();
    })));
  }

  @Test
  void refusedConnectionIsRetried(Vertx vertx, VertxTestContext ctx) {
    // A port that was just listening and is now closed: nothing accepts there.
    Future<Integer> closedPort = vertx.createHttpServer().requestHandler(r -> r.response().end())
        .listen(0, "127.0.0.1").compose(s -> s.close().map(v -> s.actualPort()));
    closedPort.compose(port -> {
      Document doc = new Document("_id", "c-web").append("type", "web")
          .append("settings", new Document("callbackUrl", "http://127.0.0.1:" + port + "/x"))
          .append("secrets", new Document("secret", SECRET));
      return WebChannel.from(vertx, client, doc, CLOCK, OPTIONS).send(HELLO);
    }).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      SendResult.RetryLater retry = assertInstanceOf(SendResult.RetryLater.class, result);
      assertEquals(RETRY, retry.delay());
      ctx.completeNow();
    })));
  }

  @Test
  void refusesChannelDocumentsThatCannotWork() {
    Document good = new Document("callbackUrl", "https://example.com/hook");
    Document secrets = new Document("secret", SECRET);
    assertThrows(IllegalArgumentException.class, () -> WebChannel.from(null, client,
        new Document("_id", "c").append("type", "telegram").append("settings", good).append("secrets", secrets), CLOCK));
    IllegalArgumentException badUrl = assertThrows(IllegalArgumentException.class, () -> WebChannel.from(null, client,
        new Document("_id", "c").append("type", "web").append("settings", new Document(good).append("callbackUrl", "ftp://x"))
            .append("secrets", secrets), CLOCK));
    assertTrue(badUrl.getMessage().contains("settings.callbackUrl"), badUrl.getMessage());
    IllegalArgumentException badSecret = assertThrows(IllegalArgumentException.class, () -> WebChannel.from(null, client,
        new Document("_id", "c").append("type", "web").append("settings", good)
            .append("secrets", new Document("secret", "hunter2")), CLOCK));
    assertTrue(badSecret.getMessage().contains("secret") && !badSecret.getMessage().contains("hunter2"));
    IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class, () -> WebChannel.from(null, client,
        new Document("_id", "c").append("type", "web").append("settings", good), CLOCK));
    assertTrue(noSecret.getMessage().contains("no signing secret"), noSecret.getMessage());
  }
}
