package io.parley.integration.delivery;

import com.mongodb.client.model.Filters;
import io.parley.App;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Turns one fact into integration callbacks: a delivery per integration that should hear of it, stored
 * first (the outbox) and then handed to the sender. Call it from any feature; it is safe to call again for
 * the same fact, which finds the stored deliveries and adds none.
 */
public final class Callbacks {
  private final App app;
  private final DeliveryStore deliveries;
  private final DocumentStore integrations;
  private final DocumentStore tasks;

  public Callbacks(App app) {
    this.app = app;
    this.deliveries = new DeliveryStore(app.store());
    this.integrations = new DocumentStore(app.store(), Collections.INTEGRATIONS);
    this.tasks = new DocumentStore(app.store(), Collections.TASKS);
  }

  /**
   * Stores a callback of {@code event} (e.g. {@code dialogue.succeeded}) carrying {@code data}, for each
   * enabled integration subscribed to the event: the integration of task {@code taskId}, or, when the fact
   * belongs to no task ({@code taskId} null), every such integration. {@code factKey} names the fact
   * (e.g. {@code dialogue.succeeded:<dialogueId>}); a key already stored for an integration adds nothing.
   * Answers the ids of the deliveries this call created; fails only when the store does.
   */
  public Future<List<String>> enqueue(String event, String factKey, JsonObject data, String taskId) {
    return enqueue(event, factKey, data, taskId, false);
  }

  /**
   * Like {@link #enqueue}, for a callback an outcome action asks for ({@code call_integration}): it goes to
   * the task's integration if enabled, whether or not the integration subscribed to {@code event}. The same
   * fact key as the subscribed callback's means an integration that also subscribed gets it once.
   */
  public Future<List<String>> enqueueAsked(String event, String factKey, JsonObject data, String taskId) {
    return enqueue(event, factKey, data, taskId, true);
  }

  /**
   * The callbacks a dialogue's outcome makes for the integrations subscribed: {@code dialogue.succeeded} for
   * {@code success}, {@code dialogue.closed} when it closed. Idempotent by fact key, so whoever stores the
   * outcome may call it before answering and the outcome event may call it again.
   */
  public Future<Void> dialogueOutcome(String dialogueId, String taskId, String outcome, String by, boolean closed,
      String at) {
    boolean success = "success".equals(outcome);
    if (!success && !closed) return Future.succeededFuture();
    JsonObject extra = new JsonObject().put("outcome", outcome).put("by", by).put("at", at);
    return new CallbackPayloads(app).dialogue(dialogueId, taskId, extra).compose(data -> {
      Future<List<String>> sent = success
          ? enqueue(CallbackEvents.SUCCEEDED, CallbackEvents.SUCCEEDED + ":" + dialogueId, data, taskId)
          : Future.succeededFuture(List.of());
      return closed ? sent.compose(v -> enqueue(CallbackEvents.CLOSED, CallbackEvents.CLOSED + ":" + dialogueId, data, taskId))
          : sent;
    }).mapEmpty();
  }

  /** A dialogue's outcome, as an outcome's {@code call_integration} action sends it: {@code dialogue.closed}. */
  public Future<List<String>> dialogueOutcomeAsked(String dialogueId, String taskId, String outcome, String by) {
    JsonObject extra = new JsonObject().put("outcome", outcome).put("by", by).put("at", app.clock().instant().toString());
    return new CallbackPayloads(app).dialogue(dialogueId, taskId, extra).compose(data ->
        enqueueAsked(CallbackEvents.CLOSED, CallbackEvents.CLOSED + ":" + dialogueId, data, taskId));
  }

  private Future<List<String>> enqueue(String event, String factKey, JsonObject data, String taskId, boolean asked) {
    Instant now = app.clock().instant();
    JsonObject envelope = new JsonObject().put("type", event).put("timestamp", now.toString()).put("data", data);
    String body = envelope.encode();
    return subscribers(event, taskId, asked).compose(found -> {
      List<Future<String>> created = new ArrayList<>();
      for (Document integration : found) {
        created.add(store(integration.getString("_id"), event, factKey, body, taskId, data.getString("dialogueId"), now));
      }
      return Future.all(created).map(all -> {
        List<String> ids = new ArrayList<>();
        for (Future<String> f : created) if (f.result() != null) ids.add(f.result());
        return ids;
      });
    });
  }

  private Future<List<Document>> subscribers(String event, String taskId, boolean asked) {
    Future<List<Document>> candidates = taskId == null
        ? Rx.list(integrations.collection().find(Filters.empty()))
        : tasks.find(taskId).compose(task -> task == null || task.getString("integration") == null
            ? Future.succeededFuture(List.<Document>of())
            : integrations.find(task.getString("integration")).map(i -> i == null ? List.<Document>of() : List.of(i)));
    return candidates.map(list -> list.stream().filter(i -> asked && taskId != null ? enabled(i) : subscribed(i, event)).toList());
  }

  static boolean subscribed(Document integration, String event) {
    List<String> events = integration.getList("events", String.class);
    return enabled(integration) && (events == null ? "dialogue.succeeded".equals(event) : events.contains(event));
  }

  static boolean enabled(Document integration) {
    return !Boolean.FALSE.equals(integration.getBoolean("enabled"));
  }

  private Future<String> store(String integrationId, String event, String factKey, String body, String taskId,
      String dialogueId, Instant now) {
    String id = DeliveryIds.of(factKey, integrationId);
    Date at = Date.from(now);
    Document doc = new Document("_id", id).append("integration", integrationId).append("event", event)
        .append("key", factKey).append("task", taskId).append("dialogue", dialogueId).append("body", body)
        .append("status", DeliveryStore.PENDING).append("order", Ids.newId()).append("attempts", 0)
        .append("maxAttempts", RetrySchedule.ATTEMPTS).append("log", List.of()).append("lastStatusCode", null)
        .append("nextAttemptAt", at).append("reason", null).append("createdAt", at).append("updatedAt", at);
    return deliveries.insert(doc)
        .map(v -> {
          queued(app, id, now);
          return id;
        })
        .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture(null) : Future.failedFuture(err));
  }

  /** Tells this process's sender that delivery {@code id} is due at {@code at}. */
  static void queued(App app, String id, Instant at) {
    app.vertx().eventBus().publish(EventAddresses.CALLBACK_QUEUED,
        new JsonObject().put("deliveryId", id).put("at", at.toString()));
  }
}
