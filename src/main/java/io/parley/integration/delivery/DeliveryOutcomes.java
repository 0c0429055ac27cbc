package io.parley.integration.delivery;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an attempt leads to: delivered; tried again later; given up after the last attempt; or, on
 * {@code 410 Gone}, the integration disabled and all its pending deliveries stopped. Giving up is
 * published on {@link EventAddresses#CALLBACK_GAVE_UP}.
 */
final class DeliveryOutcomes {
  private static final Logger log = LoggerFactory.getLogger(DeliveryOutcomes.class);
  static final String GONE = "the receiver answered 410 Gone; the integration was disabled";

  /** Callback attempts by what they led to: {@code delivered, retry, failed} (the last), {@code gone} (410). */
  static final String ATTEMPTS_METER = "parley.callbacks.attempts";

  private final App app;
  private final DeliveryStore store;
  private final DocumentStore integrations;

  DeliveryOutcomes(App app, DeliveryStore store) {
    this.app = app;
    this.store = store;
    this.integrations = new DocumentStore(app.store(), Collections.INTEGRATIONS);
  }

  Future<Document> integration(Document delivery) {
    return integrations.find(delivery.getString("integration"));
  }

  /** Stores the attempt; answers when the delivery is due again, or empty when it has ended. */
  Future<Optional<Instant>> record(Document delivery, Document integration, Attempt attempt, RetrySchedule retries) {
    String id = delivery.getString("_id");
    Future<Optional<Instant>> next = decide(id, delivery, integration, attempt, retries);
    return next.onSuccess(at -> count(attempt.delivered() ? "delivered" : attempt.gone() ? "gone" : at.isPresent() ? "retry" : "failed"));
  }

  private void count(String result) {
    io.micrometer.core.instrument.Counter.builder(ATTEMPTS_METER).description("Integration callback attempts by result")
        .tag("result", result).register(app.registry()).increment();
  }

  private Future<Optional<Instant>> decide(String id, Document delivery, Document integration, Attempt attempt,
      RetrySchedule retries) {
    if (attempt.delivered()) {
      return store.recordAttempt(id, attempt, DeliveryStore.DELIVERED, Optional.empty(), null).map(Optional.empty());
    }
    if (attempt.gone()) {
      return store.recordAttempt(id, attempt, DeliveryStore.FAILED, Optional.empty(), GONE)
          .compose(saved -> gaveUp(delivery, GONE))
          .compose(v -> disable(integration))
          .map(Optional.empty());
    }
    int made = number(delivery, "attempts") + 1;
    int max = number(delivery, "maxAttempts");
    Optional<Duration> wait = made >= max ? Optional.empty() : retries.waitAfter(made, attempt.retryAfter());
    if (wait.isEmpty()) {
      String reason = "gave up after " + made + (made == 1 ? " attempt: " : " attempts: ") + attempt.error();
      return store.recordAttempt(id, attempt, DeliveryStore.FAILED, Optional.empty(), reason)
          .compose(saved -> number(delivery, "redeliveries") > 0 ? Future.succeededFuture() : gaveUp(delivery, reason))
          .map(Optional.empty());
    }
    Optional<Instant> next = Optional.of(app.clock().instant().plus(wait.get()));
    return store.recordAttempt(id, attempt, DeliveryStore.PENDING, next, null).map(next);
  }

  /** Ends a delivery that can no longer be sent, without an attempt. */
  Future<Void> stopped(Document delivery, String reason) {
    return store.stop(delivery.getString("_id"), reason, app.clock().instant())
        .compose(before -> before != null && DeliveryStore.PENDING.equals(before.getString("status"))
            ? gaveUp(delivery, reason) : Future.succeededFuture());
  }

  private Future<Void> disable(Document integration) {
    String integrationId = integration.getString("_id");
    Date now = Date.from(app.clock().instant());
    log.warn("Integration {} answered 410 Gone: disabled, its pending callbacks stopped", integrationId);
    return integrations.update(integrationId, new Document("$set", new Document("enabled", false)
            .append("disabledReason", GONE).append("disabledAt", now).append("updatedAt", now)))
        .compose(v -> store.pendingOf(integrationId))
        .compose(pending -> {
          Future<Void> chain = Future.succeededFuture();
          for (Document d : pending) {
            d.append("integration", integrationId);
            chain = chain.compose(v -> stopped(d, "the integration was disabled (410 Gone)"));
          }
          return chain;
        });
  }

  private Future<Void> gaveUp(Document delivery, String reason) {
    JsonObject event = new JsonObject().put("integrationId", delivery.getString("integration"))
        .put("deliveryId", delivery.getString("_id")).put("event", delivery.getString("event"))
        .put("reason", reason).put("at", app.clock().instant().toString());
    if (delivery.getString("task") != null) event.put("taskId", delivery.getString("task"));
    if (delivery.getString("dialogue") != null) event.put("dialogueId", delivery.getString("dialogue"));
    app.vertx().eventBus().publish(EventAddresses.CALLBACK_GAVE_UP, event);
    return Future.succeededFuture();
  }

  static int number(Document doc, String key) {
    return doc.get(key) instanceof Number n ? n.intValue() : 0;
  }
}
