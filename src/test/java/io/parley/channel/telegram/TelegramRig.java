package io.parley.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.App;
import io.parley.channel.Channel;
import io.parley.channel.ChannelClients;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.config.ParleyConfig;
import io.parley.dispatch.ChannelDispatcher;
import io.parley.store.Collections;
import io.parley.support.FakeBotApi;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.ManualScheduler;
import io.parley.support.MutableClock;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.Document;

/**
 * A Parley whose dispatchers are driven by hand (injected clock and scheduler) while its Telegram poller
 * runs for real against a {@link FakeBotApi}: people "write to the bot" on the fake and Parley sees it.
 */
final class TelegramRig implements AutoCloseable {
  static final String TOKEN = "424242:Rig_Token-abc";
  static final Instant NINE = Instant.parse("2026-11-23T09:00:00Z");

  final FakeBotApi bot = new FakeBotApi(TOKEN, "parley_test_bot");
  final MutableClock clock = new MutableClock(NINE);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final TestParley parley;
  final Http http;
  final Fixtures db;
  final String channel;

  TelegramRig() {
    this(Map.of());
  }

  /** With {@code config} added to the rig's own settings. */
  TelegramRig(Map<String, String> config) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("dispatch.enabled", "false",
        "telegram.pollTimeoutSeconds", "1", "telegram.refreshSeconds", "1"));
    all.putAll(config);
    parley = TestParley.start(TestParley.tempDir(), all, clock);
    http = parley.http();
    db = new Fixtures(parley);
    channel = created("/api/channels", new JsonObject().put("type", "telegram").put("name", "bot")
        .put("settings", new JsonObject().put("botToken", TOKEN).put("apiUrl", bot.url())));
  }

  App app() {
    return parley.parley().app();
  }

  /** A person writes {@code text} to the bot, and Parley's poller has recorded them. */
  void writes(long chatId, String username, String name, String text) {
    bot.write(chatId, username, name, text);
    awaitContact(chatId);
    if (username != null) {
      Poll.until("@" + username, Duration.ofSeconds(20), () -> db.find(Collections.TELEGRAM_CONTACTS,
          channel + ":@" + username.toLowerCase(java.util.Locale.ROOT)), d -> d != null);
    }
  }

  void awaitContact(long chatId) {
    Poll.until("contact " + chatId, Duration.ofSeconds(20),
        () -> db.find(Collections.TELEGRAM_CONTACTS, channel + ":chat:" + chatId), d -> d != null);
  }

  /** A running outreach task on the rig's channel. */
  String task(String opening, String... audience) {
    String manager = created("/api/managers", new JsonObject().put("name", "Anna"));
    String ai = created("/api/ai-profiles", new JsonObject().put("name", "Bot")
        .put("scripted", new JsonObject().put("fallback", "Thanks")));
    String id = created("/api/tasks", new JsonObject().put("name", "spring").put("type", "telegram")
        .put("format", "incoming_outgoing").put("channels", new JsonArray().add(channel))
        .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1")
        .put("workingHours", new JsonObject().put("from", 0).put("to", 24)).put("dailyLimitPerChannel", 100)
        .put("pauseBetweenDialogues", 3).put("openingMessage", new JsonObject().put("text", opening))
        .put("audience", new JsonArray(List.of(audience))));
    assertEquals(200, http.post("/api/tasks/" + id + "/start", TestParley.ADMIN, null).status());
    return id;
  }

  /** Deploys the channel's dispatcher, as the supervisor would, and lets it run until it sleeps. */
  void dispatch() {
    ChannelDispatcher.Deps deps = new ChannelDispatcher.Deps(app().store(), clock, scheduler, app().registry(),
        new ParleyConfig.Dispatch(true, 15, 5, 10, 3, 0));
    await(app().vertx().deployVerticle(new ChannelDispatcher(channel, channel(), "me", deps)));
    scheduler.awaitQuiet();
  }

  /** The channel as any part of Parley makes it (the conversations do the same for their replies). */
  Channel channel() {
    return new ChannelClients(app().vertx(), clock).apply(db.find(Collections.CHANNELS, channel)).orElseThrow();
  }

  SendResult send(String to, String text) {
    return await(channel().send(new OutgoingMessage(io.parley.store.Ids.newId(), io.parley.store.Ids.newId(), to, text)));
  }

  /** Moves the injected time a second at a time until {@code done} holds. */
  void advanceUntil(String what, BooleanSupplier done) {
    for (int i = 0; i < 120; i++) {
      if (done.getAsBoolean()) return;
      scheduler.advance(Duration.ofSeconds(1));
    }
    throw new AssertionError("never happened: " + what);
  }

  JsonObject target(String taskId, String address) {
    return http.get("/api/tasks/" + taskId + "/audience", TestParley.ADMIN).items().stream().map(o -> (JsonObject) o)
        .filter(t -> address.equals(t.getString("address"))).findFirst().orElse(null);
  }

  JsonObject task(String id) {
    return http.get("/api/tasks/" + id, TestParley.ADMIN).json();
  }

  Document contact(long chatId) {
    return db.find(Collections.TELEGRAM_CONTACTS, channel + ":chat:" + chatId);
  }

  String created(String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    parley.close();
    bot.close();
  }
}
