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

  Future<Void> release(String channelId, String owner) {
    return Rx.done(leases.deleteOne(Filters.and(Filters.eq("_id", channelId), Filters.eq("owner", owner))));
  }

  Future<String> owner(String channelId) {
    return Rx.first(leases.find(Filters.eq("_id", channelId)).limit(1))
        .map(doc -> doc == null ? null : doc.getString("owner"));
  }
}
