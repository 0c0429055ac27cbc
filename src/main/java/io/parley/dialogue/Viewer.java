package io.parley.dialogue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.token.Principal;
import io.vertx.core.Future;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * Whose dialogues a caller may see: an admin sees all; a manager token sees those of the virtual managers
 * it operates (the managers whose {@code operators} list its id).
 */
record Viewer(Principal principal, Set<String> managers) {
  static Future<Viewer> of(Store store, Principal principal) {
    if (principal.isAdmin()) return Future.succeededFuture(new Viewer(principal, null));
    return Rx.list(store.collection(Collections.MANAGERS).find(Filters.eq("operators", principal.tokenId()))
            .projection(Projections.include("_id")))
        .map(docs -> new Viewer(principal, docs.stream().map(d -> d.getString("_id")).collect(Collectors.toSet())));
  }

  boolean seesAll() {
    return managers == null;
  }

  boolean sees(String manager) {
    return managers == null || (manager != null && managers.contains(manager));
  }

  /** Refuses a dialogue of a virtual manager this caller does not operate. */
  Document require(Document dialogue) {
    if (!sees(dialogue.getString("manager"))) {
      throw new ApiError(403, "forbidden", "dialogue " + dialogue.getString("_id")
          + " belongs to a virtual manager this token does not operate", null);
    }
    return dialogue;
  }
}
