package io.parley.conversation;

import io.parley.support.StepScheduler;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.config.ParleyConfig;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.FakeReceiver;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.MutableClock;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * A Parley whose conversation verticles run on a hand-moved clock ({@link StepScheduler}), one web channel
 * whose replies arrive at a {@link FakeReceiver} on 127.0.0.1, and contacts that write through the
 * channel's real, signed webhook. Dispatching is off unless asked for.
 */
final class ConversationRig implements AutoCloseable {
  static final String SECRET = StandardWebhooks.newSecret();
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  final MutableClock clock;
  final StepScheduler scheduler;
  final TestParley parley;
  final Http http;
  final Fixtures db;
  final FakeReceiver receiver;
  final StandardWebhooks contactSide;
  final String channel;
  final BlockingQueue<JsonObject> outcomes = new LinkedBlockingQueue<>();
  final BlockingQueue<JsonObject> blocked = new LinkedBlockingQueue<>();
  final BlockingQueue<JsonObject> updates = new LinkedBlockingQueue<>();
  /** What the router and the responders were deployed with (null until {@link #converse}). */
  volatile ConversationDeps deps;
  volatile Consumer<RoutingContext> answer = ctx -> ctx.response().putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("id", "p-" + Ids.newId()).encode());

  ConversationRig(Map<String, String> config) {
    this(TestParley.tempDir(), config, true);
  }

  ConversationRig(Path dataDir, Map<String, String> config, boolean converse) {
    clock = new MutableClock(START);
    scheduler = new StepScheduler(clock);
    Map<String, String> all = new HashMap<>(Map.of("dispatch.enabled", "false"));
    all.putAll(config);
    all.put("conversation.enabled", "false");
    parley = TestParley.start(dataDir, all, clock);
    http = parley.http();
    db = new Fixtures(parley);
    App app = parley.parley().app();
    contactSide = StandardWebhooks.forSecret(SECRET, clock);
    receiver = new FakeReceiver(app.vertx(), StandardWebhooks.forSecret(SECRET, clock)).answer("/in", ctx -> answer.accept(ctx));
    await(receiver.start(app.vertx()).toCompletionStage().toCompletableFuture());
    var bus = app.vertx().eventBus();
    bus.<JsonObject>consumer(EventAddresses.DIALOGUE_OUTCOME, m -> outcomes.add(m.body()));
    bus.<JsonObject>consumer(EventAddresses.DIALOGUE_BLOCKED, m -> blocked.add(m.body()));
    bus.<JsonObject>consumer(EventAddresses.DIALOGUE_UPDATED, m -> updates.add(m.body()));
    List<Document> existing = Fixtures.all(app.store().collection(Collections.CHANNELS).find());
    channel = existing.isEmpty() ? created("/api/channels", new JsonObject().put("type", "web").put("name", "widget")
        .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in")).put("secret", SECRET)))
        : existing.get(0).getString("_id");
    if (!existing.isEmpty()) {
      db.update(Collections.CHANNELS, channel, new Document("$set", new Document("settings.callbackUrl", receiver.url("/in"))));
    }
    if (converse) converse(config);
  }

  /** Deploys the router and the responders with the rig's clock and scheduler. */
  void converse(Map<String, String> config) {
    Map<String, String> all = new HashMap<>(config);
    all.put("conversation.enabled", "true");
    ParleyConfig.Conversation settings = ParleyConfig.withOverrides(all).conversation();
    App app = parley.parley().app();
    deps = new ConversationDeps(app.store(), clock, scheduler, app.registry(), settings);
    await(Conversations.deploy(app.vertx(), deps).toCompletionStage().toCompletableFuture());
  }

  String manager(String name, String persona) {
    return created("/api/managers", new JsonObject().put("name", name).put("persona", persona));
  }

  String scripted(JsonArray rules, String fallback) {
    JsonObject scripted = new JsonObject().put("rules", rules);
    if (fallback != null) scripted.put("fallback", fallback);
    return created("/api/ai-profiles", new JsonObject().put("name", "bot").put("provider", "scripted").put("scripted", scripted));
  }

  static JsonObject rule(String pattern, String reply, String outcome) {
    JsonObject r = new JsonObject().put("pattern", pattern).put("reply", reply);
    return outcome == null ? r : r.put("outcome", outcome);
  }

  /** A started task; {@code extra} may add or replace fields (format, audience, spend limit, ...). */
  String task(String format, List<String> managers, String ai, JsonObject extra) {
    JsonObject body = new JsonObject().put("name", "t").put("type", "web").put("format", format)
        .put("channels", new JsonArray().add(channel)).put("managers", new JsonArray(managers)).put("ai", ai)
        .put("spendLimitPerDialogue", "5");
    if (format.equals("incoming_outgoing")) {
      body.put("workingHours", new JsonObject().put("from", 0).put("to", 24)).put("dailyLimitPerChannel", 100)
          .put("pauseBetweenDialogues", 3).put("openingMessage", new JsonObject().put("text", "Hello {{address}}"));
    }
    body.mergeIn(extra);
    String id = created("/api/tasks", body);
    assertEquals(200, http.post("/api/tasks/" + id + "/start", TestParley.ADMIN, null).status());
    return id;
  }

  /** The contact sends {@code text} through the channel's signed webhook; answers the webhook's status. */
  int write(String from, String text) {
    return write(channel, from, text);
  }

  int write(String channelId, String from, String text) {
    return write(channelId, from, text, "m-" + Ids.newId());
  }

  /** As {@link #write(String, String, String)}, under the channel's message id {@code id} (a repeat uses it again). */
  int write(String channelId, String from, String text, String id) {
    String body = new JsonObject().put("from", from).put("text", text).put("id", id).encode();
    HttpRequest.Builder b = http.builder("/webhooks/web/" + channelId, null)
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    contactSide.sign(StandardWebhooks.newMessageId(), body.getBytes(StandardCharsets.UTF_8)).asMap().forEach(b::header);
    return http.send(b).status();
  }

  /** Writes and waits until every message written so far is routed (stored in its dialogue, or without one). */
  void writeAndRoute(String from, String text) {
    assertEquals(200, write(from, text));
    awaitRouted();
  }

  /** Waits until {@code inbound} is empty: the router removes each message from it once it is routed. */
  void awaitRouted() {
    Poll.until("the messages to be routed", Duration.ofSeconds(20), this::unrouted, n -> n == 0);
  }

  long unrouted() {
    return db.count(Collections.INBOUND, new Document());
  }

  /** The contact's current dialogue on the rig's channel. */
  Document dialogue(String contact) {
    Document key = db.find(Collections.DIALOGUE_KEYS, channel + ":" + contact);
    return key == null ? null : db.find(Collections.DIALOGUES, key.getString("dialogue"));
  }

  List<Document> messages(String dialogueId) {
    return Fixtures.all(parley.parley().app().store().collection(Collections.MESSAGES)
        .find(new Document("dialogue", dialogueId)).sort(new Document("createdAt", 1).append("_id", 1)));
  }

  /**
   * The dialogue's messages once it has {@code n}: a reply's record and the dialogue's {@code answeredSeq} are
   * written side by side, so the dialogue may show a reply answered before its message is listed.
   */
  List<Document> awaitMessages(String dialogueId, int n) {
    return Poll.until(n + " messages in dialogue " + dialogueId, Duration.ofSeconds(10), () -> messages(dialogueId),
        m -> m.size() >= n);
  }

  /** Replies that reached the receiver for {@code contact}. */
  List<JsonObject> repliesTo(String contact) {
    return receiver.deliveries().stream().map(FakeReceiver.Delivery::body).filter(b -> contact.equals(b.getString("to"))).toList();
  }

  List<JsonObject> awaitReplies(String contact, int n) {
    return Poll.until(n + " replies to " + contact, Duration.ofSeconds(20), () -> repliesTo(contact), r -> r.size() >= n);
  }

  String created(String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  static JsonObject next(BlockingQueue<JsonObject> events) {
    try {
      JsonObject e = events.poll(20, TimeUnit.SECONDS);
      if (e == null) throw new AssertionError("no event within 20 s");
      return e;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
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
