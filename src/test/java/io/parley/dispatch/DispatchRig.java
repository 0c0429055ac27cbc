package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.support.Poll;
import io.parley.channel.ChannelClients;
import io.parley.config.ParleyConfig;
import io.parley.store.Collections;
import io.parley.support.FakeReceiver;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.ManualScheduler;
import io.parley.support.MutableClock;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * A Parley with its own dispatching switched off, a hand-driven clock and scheduler, a web channel whose
 * receiver runs on 127.0.0.1, and helpers to set up tasks through the API and run a channel's dispatcher.
 */
final class DispatchRig implements AutoCloseable {
  static final String SECRET = StandardWebhooks.newSecret();

  final MutableClock clock;
  final ManualScheduler scheduler;
  final TestParley parley;
  final Http http;
  final Fixtures db;
  final FakeReceiver receiver;
  final String marketer;
  final String manager;
  final String ai;
  final java.util.concurrent.atomic.AtomicInteger sleeps = new java.util.concurrent.atomic.AtomicInteger();
  /** {@code dispatch.claimAheadMillis} of the dispatchers deployed from here on. */
  volatile int claimAheadMillis;
  volatile Consumer<RoutingContext> answer = ctx -> ctx.response().putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("id", "r-" + System.nanoTime()).encode());

  DispatchRig(Instant start) {
    this(start, Map.of());
  }

  DispatchRig(Instant start, Map<String, String> config) {
    clock = new MutableClock(start);
    scheduler = new ManualScheduler(clock);
    java.util.Map<String, String> all = new java.util.HashMap<>(config);
    all.put("dispatch.enabled", "false");
    parley = TestParley.start(TestParley.tempDir(), all, clock);
    http = parley.http();
    db = new Fixtures(parley);
    App app = parley.parley().app();
    receiver = new FakeReceiver(app.vertx(), StandardWebhooks.forSecret(SECRET, clock))
        .answer("/in", ctx -> answer.accept(ctx));
    await(receiver.start(app.vertx()).toCompletionStage().toCompletableFuture());
    app.vertx().eventBus().localConsumer(EventAddresses.DISPATCHER_SLEEPING, m -> sleeps.incrementAndGet());
    marketer = parley.token("marketer");
    manager = created("/api/managers", new JsonObject().put("name", "Anna").put("persona", "Friendly"));
    ai = created("/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Thanks!")));
  }

  String channel() {
    return created("/api/channels", new JsonObject().put("type", "web").put("name", "widget")
        .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in")).put("secret", SECRET)));
  }

  /** A running outgoing task on {@code channels} with {@code audience} as CSV lines (header first). */
  String task(List<String> channels, int from, int to, int limit, int pause, String text, String... csv) {
    String id = created("/api/tasks", new JsonObject().put("name", "t").put("type", "web")
        .put("format", "incoming_outgoing").put("channels", new JsonArray(channels))
        .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1")
        .put("workingHours", new JsonObject().put("from", from).put("to", to)).put("dailyLimitPerChannel", limit)
        .put("pauseBetweenDialogues", pause).put("openingMessage", new JsonObject().put("text", text)));
    Http.Response upload = http.send("/api/tasks/" + id + "/audience", marketer, "POST", "text/csv",
        String.join("\n", csv) + "\n");
    assertEquals(200, upload.status(), upload.toString());
    assertEquals(200, http.post("/api/tasks/" + id + "/start", marketer, null).status());
    return id;
  }

  /** Adds CSV lines (header first) to a task's audience. */
  JsonObject upload(String taskId, String... csv) {
    Http.Response r = http.send("/api/tasks/" + taskId + "/audience", marketer, "POST", "text/csv", String.join("\n", csv) + "\n");
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  String created(String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  /**
   * Does what the supervisor does on taking a channel over (recover claims a dead holder left, then deploy
   * the dispatcher as {@code owner}), and waits until the dispatcher sleeps.
   */
  String dispatch(String channelId, String owner) {
    Document doc = db.find(Collections.CHANNELS, channelId);
    return dispatch(channelId, owner, new ChannelClients(parley.parley().app().vertx(), clock).apply(doc).orElseThrow());
  }

  /** Like {@link #dispatch(String, String)}, sending through {@code channel} instead of the channel's own client. */
  String dispatch(String channelId, String owner, io.parley.channel.Channel channel) {
    String deployment = deploy(channelId, owner, channel);
    scheduler.awaitQuiet();
    return deployment;
  }

  /** Recovers and deploys the channel's dispatcher without waiting for it to sleep (it may stop instead). */
  String deploy(String channelId, String owner, io.parley.channel.Channel channel) {
    App app = parley.parley().app();
    await(app.vertx().getOrCreateContext().<Void>executeBlocking(() -> null)
        .compose(v -> new TargetClaims(app.store()).recover(List.of(channelId), owner, clock.instant()))
        .toCompletionStage().toCompletableFuture());
    ChannelDispatcher.Deps deps = new ChannelDispatcher.Deps(app.store(), clock, scheduler, app.registry(),
        new ParleyConfig.Dispatch(true, 15, 5, 10, 3, claimAheadMillis));
    ChannelDispatcher d = new ChannelDispatcher(channelId, channel, owner, deps);
    return await(app.vertx().deployVerticle(d).toCompletionStage().toCompletableFuture());
  }

  void undeploy(String deployment) {
    await(parley.parley().app().vertx().undeploy(deployment).toCompletionStage().toCompletableFuture());
  }

  /** Changes the task's status through the API and waits until the dispatcher has reacted and sleeps again. */
  void lifecycle(String taskId, String action) {
    react(action, () -> assertEquals(200, http.post("/api/tasks/" + taskId + "/" + action, marketer, null).status()));
  }

  /** Does {@code action}, which the dispatcher hears of, and waits until it has reacted and sleeps again. */
  void react(String what, Runnable action) {
    int before = sleeps.get();
    action.run();
    Poll.until("the dispatcher to react to " + what, java.time.Duration.ofSeconds(20), sleeps::get, n -> n > before);
    scheduler.awaitQuiet();
  }

  List<String> sentTo() {
    return receiver.deliveries().stream().map(d -> d.body().getString("to")).toList();
  }

  List<String> texts() {
    return receiver.deliveries().stream().map(d -> d.body().getString("text")).toList();
  }

  JsonObject task(String id) {
    return http.get("/api/tasks/" + id, marketer).json();
  }

  JsonArray audience(String id, String state) {
    return http.get("/api/tasks/" + id + "/audience" + (state == null ? "" : "?state=" + state), marketer).items();
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
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
