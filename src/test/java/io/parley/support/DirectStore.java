package io.parley.support;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.parley.store.Rx;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Reads and writes a running Parley's collections directly, for arranging state another feature would
 * create (a task referring to a channel) and for checking that a refused request changed nothing.
 */
public final class DirectStore {
  private final TestParley parley;

  public DirectStore(TestParley parley) {
    this.parley = parley;
  }

  public void insert(String collection, Document doc) {
    await(Rx.done(parley.parley().app().store().collection(collection).insertOne(doc)));
  }

  public Document find(String collection, String id) {
    return await(Rx.first(parley.parley().app().store().collection(collection).find(Filters.eq("_id", id))));
  }

  /** Every document of {@code collection}, in a stable order, for before/after comparisons. */
  public List<Document> all(String collection) {
    return await(Rx.list(parley.parley().app().store().collection(collection).find().sort(Sorts.ascending("_id"))));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("store access failed: " + e.getMessage(), e);
    }
  }
}
