package io.parley.followup;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.token.Principal;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Whose follow-up tasks a caller sees: an admin sees all; a manager token sees the tasks assigned to the
 * virtual managers it operates (those whose {@code operators} list its id), in their time zone.
 *
 * @param managers the operated virtual managers, in id order (empty for an admin)
 */
record Caller(Principal principal, List<Document> managers) {
  static Future<Caller> of(Store store, Principal principal) {
    if (principal.isAdmin()) return Future.succeededFuture(new Caller(principal, List.of()));
    return Rx.list(store.collection(Collections.MANAGERS).find(Filters.eq("operators", principal.tokenId()))
            .projection(Projections.include("_id", "timezone")).sort(Sorts.ascending("_id")))
        .map(docs -> new Caller(principal, docs));
  }

  boolean seesAll() {
    return principal.isAdmin();
  }

  Set<String> managerIds() {
    return managers.stream().map(d -> d.getString("_id")).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  /** The tasks this caller may see, as a filter to AND with any other. */
  Bson visible() {
    return seesAll() ? Filters.empty() : Filters.in("assignedTo", managerIds());
  }

  boolean sees(Document task) {
    return seesAll() || managerIds().contains(task.getString("assignedTo"));
  }

  Document require(Document task) {
    if (!sees(task)) {
      throw new ApiError(403, "forbidden", "follow-up task " + task.getString("_id")
          + " is assigned to a virtual manager this token does not operate", null);
    }
    return task;
  }

  /** The first operated manager with a time zone, whose zone is this caller's default; null if none. */
  String timezone() {
    return managers.stream().map(d -> d.getString("timezone")).filter(z -> z != null).findFirst().orElse(null);
  }

  String by() {
    return principal.tokenId();
  }
}
