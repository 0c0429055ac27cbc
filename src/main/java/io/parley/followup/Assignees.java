package io.parley.followup;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.List;

/**
 * Who gets a follow-up task: a virtual manager by id, or {@code group:<name>} for the member of that
 * manager group with the fewest open follow-up tasks (ties go to the lower id).
 */
final class Assignees {
  static final String GROUP = "group:";
  private final DocumentStore managers;
  private final ManagerTaskStore tasks;

  Assignees(Store store, ManagerTaskStore tasks) {
    this.managers = new DocumentStore(store, Collections.MANAGERS);
    this.tasks = tasks;
  }

  /** The manager {@code spec} names; 400 naming {@code field} when there is none. */
  Future<String> resolve(String field, String spec) {
    if (spec.startsWith(GROUP)) {
      String group = spec.substring(GROUP.length());
      return Rx.list(managers.collection().find(Filters.eq("group", group)).projection(Projections.include("_id"))
              .sort(Sorts.ascending("_id")))
          .compose(docs -> leastLoaded(docs.stream().map(d -> d.getString("_id")).toList()))
          .map(id -> {
            if (id == null) throw ApiError.invalid(field, field + ": no virtual manager is in group \"" + group + "\"");
            return id;
          });
    }
    return managers.find(spec).map(doc -> {
      if (doc == null) throw ApiError.invalid(field, field + ": no virtual manager has id " + spec);
      return spec;
    });
  }

  /** The candidate with the fewest open follow-up tasks, or null when there is none. */
  Future<String> leastLoaded(List<String> candidates) {
    if (candidates.isEmpty()) return Future.succeededFuture(null);
    if (candidates.size() == 1) return Future.succeededFuture(candidates.get(0));
    Future<String> best = Future.succeededFuture(null);
    long[] fewest = {Long.MAX_VALUE};
    for (String candidate : candidates) {
      best = best.compose(current -> tasks.count(Filters.and(Filters.eq("assignedTo", candidate),
          Filters.eq("isComplete", false))).map(n -> {
            if (n < fewest[0]) {
              fewest[0] = n;
              return candidate;
            }
            return current;
          }));
    }
    return best;
  }
}
