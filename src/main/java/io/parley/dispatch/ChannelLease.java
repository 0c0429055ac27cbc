package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * Which Parley process drives a channel: a lease document {@code {_id: channel, owner, expiresAt}}.
 * Taking or renewing is one upsert that matches only when the caller already owns the lease or it has
 * expired; otherwise the upsert collides with the holder's {@code _id} and the store refuses.
 */
final class ChannelLease {
  private final MongoCollection<Document> leases;

  ChannelLease(Store store) {
    this.leases = store.collection(Collections.LEASES);
  }

  /** Takes or renews the lease on {@code channelId} until {@code now + ttl}; false when another owner holds it. */
  Future<Boolean> hold(String channelId, String owner, Instant now, Duration ttl) {
    return Rx.first(leases.findOneAndUpdate(
            Filters.and(Filters.eq("_id", channelId),
                Filters.or(Filters.eq("owner", owner), Filters.lte("expiresAt", Date.from(now)))),
            Updates.combine(Updates.set("owner", owner), Updates.set("expiresAt", Date.from(now.plus(ttl))),
                Updates.set("renewedAt", Date.from(now))),
            new FindOneAndUpdateOptions().upsert(true)))
        .map(true)
        .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /**
   * Renews every lease {@code owner} holds in one write, and answers the channels it still holds (a lease
   * taken over by another process after it expired is no longer matched). Two scans of the small leases
   * collection per call, instead of one per channel.
   */
  Future<java.util.Set<String>> renewAll(String owner, Instant now, Duration ttl) {
    return Rx.done(leases.updateMany(Filters.eq("owner", owner), Updates.combine(
            Updates.set("expiresAt", Date.from(now.plus(ttl))), Updates.set("renewedAt", Date.from(now)))))
        .compose(v -> Rx.list(leases.find(Filters.eq("owner", owner)).projection(com.mongodb.client.model.Projections.include("_id"))))
        .map(docs -> {
          java.util.Set<String> held = new java.util.HashSet<>();
          docs.forEach(d -> held.add(d.getString("_id")));
          return held;
        });
  }

  Future<Void> release(String channelId, String owner) {
    return Rx.done(leases.deleteOne(Filters.and(Filters.eq("_id", channelId), Filters.eq("owner", owner))));
  }

  Future<String> owner(String channelId) {
    return Rx.first(leases.find(Filters.eq("_id", channelId)).limit(1))
        .map(doc -> doc == null ? null : doc.getString("owner"));
  }
}
