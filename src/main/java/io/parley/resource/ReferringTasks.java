package io.parley.resource;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.List;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * Finds the outreach tasks that still refer to a resource, so it is not deleted from under them. Reads
 * the {@code tasks} collection directly: {@code channels} and {@code managers} hold id arrays, {@code ai}
 * and {@code integration} single ids, and one equality filter matches either shape.
 */
public final class ReferringTasks {
  private static final int NAMED_AT_MOST = 10;

  private final MongoCollection<Document> tasks;

  public ReferringTasks(Store store) {
    this.tasks = store.collection(Collections.TASKS);
  }

  /** Fails with 409 {@code in_use} naming the tasks whose {@code field} refers to {@code id}. */
  public Future<Void> requireUnused(String field, String id, String what) {
    return Rx.list(tasks.find(Filters.eq(field, id)).projection(Projections.include("_id", "name"))
        .limit(NAMED_AT_MOST + 1)).compose(found -> found.isEmpty()
            ? Future.succeededFuture()
            : Future.failedFuture(ApiError.conflict("in_use", describe(found, what, id), null)));
  }

  private static String describe(List<Document> found, String what, String id) {
    String names = found.stream().limit(NAMED_AT_MOST)
        .map(t -> "\"" + t.get("name") + "\" (" + t.get("_id") + ")")
        .collect(Collectors.joining(", "));
    String more = found.size() > NAMED_AT_MOST ? " and more" : "";
    return what + " " + id + " is used by outreach task" + (found.size() == 1 ? " " : "s ") + names + more
        + "; change or delete those tasks first";
  }
}
