package io.parley.store;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import java.util.List;

/**
 * The query indexes a real MongoDB needs, created at start-up (creating an existing index is a no-op), and
 * the ones earlier versions created that nothing reads any more, dropped. Nothing Parley relies on for
 * correctness is an index other than {@code _id}, and the embedded store serves nothing but {@code _id}
 * equality from an index, so there it would only pay for them on writes.
 */
public final class StoreIndexes {
  private StoreIndexes() {}

  /** An index an earlier version created: {@code collection}'s index named {@code name}. */
  record Obsolete(String collection, String name) {}

  /**
   * Indexes of earlier versions that today's cover or that nothing queries: each still costs every write to
   * its collection. Deliveries by {@code status} alone (the senders now read {@code status, nextAttemptAt});
   * messages by {@code dialogue, createdAt} (covered by {@code dialogue, createdAt, _id}).
   */
  static final List<Obsolete> OBSOLETE = List.of(
      new Obsolete(Collections.DELIVERIES, "status_1"),
      new Obsolete(Collections.MESSAGES, "dialogue_1_createdAt_1"));

  /** MongoDB's codes for a missing index and a missing collection: nothing to drop. */
  private static final List<Integer> NOTHING_TO_DROP = List.of(27, 26);

  public static Future<Void> ensure(Store store) {
    if (store.embedded()) return Future.succeededFuture();
    return dropObsolete(store.database()).compose(v -> indexes(store));
  }

  /** Drops each of {@link #OBSOLETE} that exists; one already gone (or never made) is no error. */
  static Future<Void> dropObsolete(MongoDatabase database) {
    Future<Void> done = Future.succeededFuture();
    for (Obsolete index : OBSOLETE) {
      done = done.compose(v -> Rx.done(database.getCollection(index.collection()).dropIndex(index.name()))
          .recover(e -> e instanceof MongoCommandException c && NOTHING_TO_DROP.contains(c.getErrorCode())
              ? Future.succeededFuture() : Future.failedFuture(e)));
    }
    return done;
  }

  private static Future<Void> indexes(Store store) {
    return create(store, Collections.AUDIENCE, Indexes.ascending("task", "seq"), false)
        .compose(v -> create(store, Collections.AUDIENCE, Indexes.ascending("task", "state", "seq"), false))
        .compose(v -> create(store, Collections.AUDIENCE, Indexes.ascending("state", "channel"), false))
        .compose(v -> create(store, Collections.TASKS, Indexes.ascending("channels", "status"), false))
        .compose(v -> create(store, Collections.DIALOGUES, Indexes.ascending("task", "manager", "state"), false))
        .compose(v -> create(store, Collections.TOKENS, Indexes.ascending("id"), true))
        // a dialogue's history in the order it is shown (earlier versions made {dialogue, createdAt}, which this covers)
        .compose(v -> create(store, Collections.MESSAGES, Indexes.ascending("dialogue", "createdAt", "_id"), false))
        .compose(v -> create(store, Collections.DELIVERIES, Indexes.descending("integration", "order"), false))
        .compose(v -> create(store, Collections.DELIVERIES, Indexes.descending("integration", "status", "order"), false))
        .compose(v -> create(store, Collections.DELIVERIES, Indexes.descending("integration", "event", "order"), false))
        // the senders' load: pending ones, soonest first
        .compose(v -> create(store, Collections.DELIVERIES, Indexes.ascending("status", "nextAttemptAt"), false))
        .compose(v -> followUps(store))
        .compose(v -> dialogues(store));
  }

  /**
   * Dialogues: the managers' list (newest activity first, by manager, state or task, or all of them), the
   * least-loaded manager's count and the watch's two rounds (takeovers waiting for a manager, outreach
   * nobody answered).
   */
  private static Future<Void> dialogues(Store store) {
    String d = Collections.DIALOGUES;
    return create(store, d, Indexes.compoundIndex(Indexes.ascending("manager"), Indexes.descending("lastMessageAt", "_id")), false)
        .compose(v -> create(store, d, Indexes.compoundIndex(Indexes.ascending("manager", "state"),
            Indexes.descending("lastMessageAt", "_id")), false))
        .compose(v -> create(store, d, Indexes.compoundIndex(Indexes.ascending("task"), Indexes.descending("lastMessageAt", "_id")), false))
        .compose(v -> create(store, d, Indexes.descending("lastMessageAt", "_id"), false))
        .compose(v -> create(store, d, Indexes.ascending("state", "awaitingManagerSince"), false))
        .compose(v -> create(store, d, Indexes.ascending("state", "origin", "lastIncomingAt", "createdAt"), false));
  }

  /** Follow-up tasks: date order reads one range of (allDay, due) per kind of date, per manager or overall. */
  private static Future<Void> followUps(Store store) {
    String tasks = Collections.MANAGER_TASKS;
    return create(store, tasks, Indexes.ascending("assignedTo", "isComplete", "allDay", "due", "_id"), false)
        .compose(v -> create(store, tasks, Indexes.ascending("allDay", "due", "_id"), false))
        .compose(v -> create(store, tasks, Indexes.ascending("isComplete", "allDay", "due", "_id"), false))
        .compose(v -> create(store, tasks, Indexes.ascending("assignedTo", "createdAt", "_id"), false))
        .compose(v -> create(store, tasks, Indexes.ascending("createdAt", "_id"), false))
        .compose(v -> create(store, tasks, Indexes.ascending("dialogue"), false))
        .compose(v -> create(store, Collections.MESSAGES, Indexes.ascending("dialogue", "direction", "createdAt"), false))
        .compose(v -> create(store, Collections.DIALOGUES, Indexes.ascending("task", "origin", "createdAt", "_id"), false));
  }

  private static Future<Void> create(Store store, String collection, org.bson.conversions.Bson keys, boolean unique) {
    return Rx.done(store.collection(collection).createIndex(keys, new IndexOptions().unique(unique)));
  }
}
