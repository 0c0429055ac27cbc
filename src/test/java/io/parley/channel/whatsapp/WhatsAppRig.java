package io.parley.channel.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.channel.Channel;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.store.Collections;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.MutableClock;
import io.parley.support.TestParley;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.Document;

/** A Parley on a hand-moved clock with a fake Graph API, and WhatsApp channels pointed at it. */
final class WhatsAppRig implements AutoCloseable {
  static final String PHONE_NUMBER_ID = "106540352242922";
  static final String TOKEN = "EAAGm0PX4ZCpsBAtest";
  static final String APP_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final String VERIFY_TOKEN = "parley-verify-me";

  final MutableClock clock;
  final TestParley parley;
  final Http http;
  final Fixtures db;
  final Vertx vertx;
  final FakeGraph graph = new FakeGraph();
  final WebClient client;

  WhatsAppRig(Instant start, Map<String, String> config) {
    clock = new MutableClock(start);
    Map<String, String> all = new HashMap<>(config);
    all.put("dispatch.enabled", "false");
    parley = TestParley.start(TestParley.tempDir(), all, clock);
    http = parley.http();
    db = new Fixtures(parley);
    vertx = parley.parley().app().vertx();
    await(graph.start(vertx));
    client = WebClient.create(vertx);
  }

  /** A WhatsApp channel made through the API, its settings plus {@code extra}. */
  String channel(JsonObject extra) {
    JsonObject settings = new JsonObject().put("phoneNumberId", PHONE_NUMBER_ID).put("accessToken", TOKEN)
        .put("appSecret", APP_SECRET).put("verifyToken", VERIFY_TOKEN).put("apiUrl", graph.url());
    settings.mergeIn(extra);
    Http.Response r = http.post("/api/channels", TestParley.ADMIN, new JsonObject().put("type", "whatsapp")
        .put("name", "Support line").put("settings", settings));
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  Channel client(String channelId, WhatsAppChannel.Options options) {
    Document doc = db.find(Collections.CHANNELS, channelId);
    return WhatsAppChannel.from(vertx, client, doc, clock, options);
  }

  Channel client(String channelId) {
    return client(channelId, WhatsAppChannel.Options.DEFAULT);
  }

  MetaWebhooks webhooks(String channelId) {
    return new MetaWebhooks(http, channelId, PHONE_NUMBER_ID, APP_SECRET);
  }

  /** Sends on a Vert.x context, as the dispatcher does, and waits for the result. */
  SendResult send(Channel channel, OutgoingMessage message) {
    return onContext(() -> channel.send(message));
  }

  <T> T onContext(Supplier<Future<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) result.complete(ar.result());
      else result.completeExceptionally(ar.cause());
    }));
    return await(result);
  }

  static OutgoingMessage template(String id, String to, String name, String... parameters) {
    return new OutgoingMessage(id, "d-" + id, to, "template " + name, Map.of("template", name, "language", "en_US",
        "parameters", new JsonArray(java.util.List.of((Object[]) parameters)).encode()));
  }

  static OutgoingMessage reply(String id, String to, String text) {
    return new OutgoingMessage(id, "d-" + id, to, text, Map.of("kind", "reply"));
  }

  static <T> T await(Future<T> f) {
    return await(f.toCompletionStage().toCompletableFuture());
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    parley.close();
  }
}
