package io.parley.followup;

import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The {@code manager_tasks} collection (shape in {@link ManagerTaskMapper}). */
final class ManagerTaskStore extends DocumentStore {
  ManagerTaskStore(Store store) {
    super(store, Collections.MANAGER_TASKS);
  }

  /** Inserts {@code doc}; false when a task with its {@code _id} exists already (a repeated cause). */
  Future<Boolean> insertOnce(Document doc) {
    return insert(doc).map(true).recover(err -> DuplicateKey.is(err) ? Future.succeededFuture(false)
        : Future.failedFuture(err));
  }

  Future<List<Document>> page(Bson filter, Bson sort, int limit) {
    return Rx.list(collection().find(filter).sort(sort).limit(limit));
  }

  Future<List<Document>> ids(Bson filter, int limit) {
    return Rx.list(collection().find(filter).projection(new Document("_id", 1)).limit(limit));
  }
}
