package io.parley.integration.delivery;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@code deliveries} outbox, one document per callback to one integration: {@code _id} (the
 * webhook-id), {@code integration, event, key, task, dialogue, body} (the exact bytes sent), {@code status}
 * ({@code pending|delivered|failed}), {@code order} (an ObjectId hex, the log's newest-first order),
 * {@code attempts, maxAttempts, log: [{at, status, durationMs, error, response}], lastStatusCode,
 * nextAttemptAt, claimUntil, reason, createdAt, updatedAt}. Every write is addressed by {@code _id}.
 */
final class DeliveryStore {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  /** The log keeps the latest attempts of a delivery that is redelivered again and again. */
  static final int MAX_LOG = 50;

  private final MongoCollection<Document> deliveries;

  DeliveryStore(Store store) {
    this.deliveries = store.collection(Collections.DELIVERIES);
  }

  Future<Void> insert(Document delivery) {
    return Rx.done(deliveries.insertOne(delivery));
  }

  Future<Document> find(String id) {
    return Rx.first(deliveries.find(Filters.eq("_id", id)).limit(1));
  }

  /**
   * Ids and due times of the pending deliveries due by {@code until}, soonest first, at most {@code limit}:
   * what a sender loads at start and on each rescan. Those due later wait in the store, however many.
   */
  Future<List<Document>> pendingUntil(Instant until, int limit) {
    return Rx.list(deliveries.find(Filters.and(Filters.eq("status", PENDING), Filters.lte("nextAttemptAt", Date.from(until))))
        .sort(Sorts.ascending("nextAttemptAt")).limit(limit).projection(Projections.include("nextAttemptAt")));
  }

  /** Pending deliveries of one integration (to stop them when it is disabled). */
  Future<List<Document>> pendingOf(String integrationId) {
    return Rx.list(deliveries.find(Filters.and(Filters.eq("integration", integrationId), Filters.eq("status", PENDING)))
        .projection(Projections.include("event", "task", "dialogue")));
  }

  /**
   * Marks the delivery as being sent until {@code until} and answers it as it was before: the caller owns
   * the attempt only if that earlier version was pending, due and not claimed by a live sender. One write
   * by {@code _id}, so two processes racing for it cannot both win.
   */
  Future<Document> claim(String id, Instant until) {
    return Rx.first(deliveries.findOneAndUpdate(Filters.eq("_id", id), Updates.combine(
            Updates.set("claimUntil", Date.from(until)), Updates.inc("claims", 1)),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)));
  }

  /** Gives back a claim taken on a delivery that turned out not to be due (or not pending). */
  Future<Void> unclaim(String id) {
    return Rx.done(deliveries.updateOne(Filters.eq("_id", id), Updates.unset("claimUntil")));
  }

  /**
   * Records an attempt and what follows: {@code next} is the time of the next attempt while the delivery
   * stays pending, or empty when it ends in {@code status} with {@code reason}.
   */
  Future<Document> recordAttempt(String id, Attempt attempt, String status, Optional<Instant> next, String reason) {
    Date now = Date.from(attempt.at());
    List<Bson> updates = new ArrayList<>(List.of(
        Updates.pushEach("log", List.of(attempt.toDocument()), new com.mongodb.client.model.PushOptions().slice(-MAX_LOG)),
        Updates.inc("attempts", 1), Updates.set("lastStatusCode", attempt.status()), Updates.set("status", status),
        Updates.set("nextAttemptAt", next.map(Date::from).orElse(null)), Updates.set("reason", reason),
        Updates.unset("claimUntil"), Updates.set("updatedAt", now)));
    return Rx.first(deliveries.findOneAndUpdate(Filters.eq("_id", id), Updates.combine(updates),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
  }

  /** Ends a delivery without an attempt (its integration was disabled or removed). */
  Future<Document> stop(String id, String reason, Instant now) {
    return Rx.first(deliveries.findOneAndUpdate(Filters.eq("_id", id), Updates.combine(
            Updates.set("status", FAILED), Updates.set("reason", reason), Updates.set("nextAttemptAt", null),
            Updates.unset("claimUntil"), Updates.set("updatedAt", Date.from(now))),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)));
  }

  /**
   * Queues one more attempt of a finished delivery, now, with no automatic retries after it; null when
   * the delivery does not exist.
   */
  Future<Document> requeue(String id, int attemptsSoFar, Instant now) {
    return Rx.first(deliveries.findOneAndUpdate(Filters.eq("_id", id), Updates.combine(
            Updates.set("status", PENDING), Updates.set("maxAttempts", attemptsSoFar + 1),
            Updates.set("nextAttemptAt", Date.from(now)), Updates.set("reason", null),
            Updates.inc("redeliveries", 1), Updates.set("updatedAt", Date.from(now))),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
  }

  /** One page of an integration's log, newest first, starting after the {@code order} cursor {@code before}. */
  Future<List<Document>> page(String integrationId, Optional<String> status, Optional<String> event,
      Optional<String> before, int limit) {
    List<Bson> filters = new ArrayList<>(List.of(Filters.eq("integration", integrationId)));
    status.ifPresent(s -> filters.add(Filters.eq("status", s)));
    event.ifPresent(e -> filters.add(Filters.eq("event", e)));
    before.ifPresent(b -> filters.add(Filters.lt("order", b)));
    return Rx.list(deliveries.find(Filters.and(filters)).projection(Projections.exclude("log", "body"))
        .sort(Sorts.descending("order")).limit(limit));
  }
}
