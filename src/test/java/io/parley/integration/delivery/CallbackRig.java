package io.parley.integration.delivery;

import io.parley.support.StepScheduler;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.MutableClock;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * A Parley whose callback sender runs on a {@link StepScheduler} (so retries hours apart run at once), an
 * integration receiver on 127.0.0.1, and helpers to make tasks, dialogues and events.
 */
final class CallbackRig implements AutoCloseable {
  static final String PUBLIC_URL = "https://parley.example.com";

  final MutableClock clock;
  final CallbackReceiver receiver;
  final List<JsonObject> gaveUp = new CopyOnWriteArrayList<>();
  StepScheduler steps;
  TestParley parley;
  Http http;
  Fixtures db;
  String marketer;

  CallbackRig(Instant start) throws Exception {
    clock = new MutableClock(start);
    receiver = new CallbackReceiver(clock);
    boot(TestParley.tempDir(), DeliveryWorker.PAGE);
    marketer = parley.token("marketer");
  }

  private void boot(Path dataDir, int page) {
    parley = TestParley.start(dataDir, Map.of("dispatch.enabled", "false", "callbacks.enabled", "false",
        "http.publicUrl", PUBLIC_URL), clock);
    http = parley.http();
    db = new Fixtures(parley);
    steps = new StepScheduler(clock);
    App app = parley.parley().app();
    app.vertx().eventBus().<JsonObject>localConsumer(EventAddresses.CALLBACK_GAVE_UP, m -> gaveUp.add(m.body()));
    await(app.vertx().deployVerticle(new DeliveryWorker(app, steps, new Random(7), page)));
  }

  /** One more sender on the same store and scheduler, as a second Parley process would run. */
  void secondSender() {
    await(app().vertx().deployVerticle(new DeliveryWorker(app(), steps, new Random(11))));
  }

  /** Stops this Parley and starts another on the same data directory (the receiver stays up). */
  void restart() {
    restart(DeliveryWorker.PAGE);
  }

  /** As {@link #restart()}, the new sender loading at most {@code page} deliveries at once. */
  void restart(int page) {
    Path dir = parley.dataDir();
    parley.close();
    boot(dir, page);
  }

  App app() {
    return parley.parley().app();
  }

  /** An integration pointing at the receiver, subscribed to {@code events} (null: the default). */
  String integration(String... events) {
    JsonObject body = new JsonObject().put("name", "CRM").put("url", receiver.url());
    if (events.length > 0) body.put("events", new JsonArray(List.of(events)));
    Http.Response r = http.post("/api/integrations", marketer, body);
    assertEquals(201, r.status(), r.toString());
    receiver.secret(r.json().getString("secret"));
    return r.json().getString("id");
  }

  String task(String integrationId) {
    String id = Ids.newId();
    db.insert(Collections.TASKS, new Document("_id", id).append("name", "Spring webinar").append("type", "web")
        .append("status", "in_progress").append("integration", integrationId).append("channels", List.of())
        .append("createdAt", new Date()));
    return id;
  }

  /**
   * A dialogue of {@code taskId} with contact client-7 (merge field name=Dana), spend 0.350 (as sums of prices
   * leave it, with a trailing zero) and 7 messages.
   */
  String dialogue(String taskId) {
    String id = Ids.newId();
    Instant t0 = clock.instant().minusSeconds(600);
    db.insert(Collections.DIALOGUES, new Document("_id", id).append("task", taskId).append("channel", Ids.newId())
        .append("contact", "client-7").append("fields", new Document("name", "Dana")).append("manager", Ids.newId())
        .append("state", "closed").append("outcome", "success").append("origin", "outreach")
        .append("spend", new Decimal128(new java.math.BigDecimal("0.350"))).append("createdAt", Date.from(t0))
        .append("lastMessageAt", Date.from(t0.plusSeconds(70))));
    for (int i = 1; i <= 7; i++) {
      boolean out = i % 2 == 1;
      db.insert(Collections.MESSAGES, new Document("_id", Ids.newId()).append("dialogue", id)
          .append("direction", out ? "out" : "in").append("author", out ? "ai" : "contact").append("text", "message " + i)
          .append("createdAt", Date.from(t0.plusSeconds(i * 10L))));
    }
    return id;
  }

  void publish(String address, JsonObject event) {
    app().vertx().eventBus().publish(address, event);
  }

  JsonObject succeeded(String taskId, String dialogueId) {
    return new JsonObject().put("dialogueId", dialogueId).put("taskId", taskId).put("channelId", Ids.newId())
        .put("contact", "client-7").put("outcome", "success").put("closed", true).put("by", "ai")
        .put("at", clock.instant().toString());
  }

  List<Document> deliveries() {
    return Fixtures.all(app().store().collection(Collections.DELIVERIES).find());
  }

  Document delivery(String id) {
    return db.find(Collections.DELIVERIES, id);
  }

  /** Waits until {@code n} deliveries are stored and each pending one is scheduled; answers them. */
  List<Document> awaitDeliveries(int n) {
    return Poll.until(n + " stored deliveries", Duration.ofSeconds(10), this::deliveries, all -> all.size() == n
        && steps.size() >= all.stream().filter(d -> "pending".equals(d.getString("status"))).count());
  }

  /** Runs the next scheduled attempt of delivery {@code id} and waits until it is recorded as attempt {@code n}. */
  Document attempt(String id, int n) {
    steps.runNext();
    return Poll.until("attempt " + n + " of " + id + " recorded", Duration.ofSeconds(20), () -> delivery(id),
        d -> ((Number) d.get("attempts")).intValue() == n && d.get("claimUntil") == null
            && (!"pending".equals(d.getString("status")) || steps.size() > 0));
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    parley.close();
    receiver.close();
  }
}
