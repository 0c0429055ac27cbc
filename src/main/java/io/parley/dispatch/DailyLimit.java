package io.parley.dispatch;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.LocalDate;
import org.bson.Document;

/**
 * New dialogues per channel per UTC day, one counter document per channel and day ({@code _id =
 * channel:day}), changed only by {@code $inc} on {@code _id}. A slot is granted to the caller whose
 * increment lands at or below the limit; one that lands above it takes its increment back and is refused.
 * Concurrent callers can push the stored count past the limit for a moment, but never the number of slots
 * granted, so no restart, race or second instance opens more dialogues than the limit.
 */
final class DailyLimit {
  private final MongoCollection<Document> days;

  DailyLimit(Store store) {
    this.days = store.collection(Collections.CHANNEL_DAYS);
  }

  static String key(String channelId, LocalDate day) {
    return channelId + ":" + day;
  }

  /** Takes one of today's {@code limit} slots: how many are used with it, or 0 when they are all used. */
  Future<Integer> take(String channelId, LocalDate day, int limit) {
    String key = key(channelId, day);
    return Rx.first(days.findOneAndUpdate(Filters.eq("_id", key),
            Updates.combine(Updates.inc("count", 1), Updates.setOnInsert("channel", channelId),
                Updates.setOnInsert("day", day.toString())),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
        .compose(after -> after.getInteger("count") <= limit ? Future.succeededFuture(after.getInteger("count"))
            : Rx.done(days.updateOne(Filters.eq("_id", key), Updates.inc("count", -1))).map(0));
  }

  /** Returns a slot taken for a dialogue that was never opened (the send failed for good). */
  Future<Void> giveBack(String channelId, LocalDate day) {
    return Rx.done(days.updateOne(Filters.eq("_id", key(channelId, day)), Updates.inc("count", -1)));
  }

}
