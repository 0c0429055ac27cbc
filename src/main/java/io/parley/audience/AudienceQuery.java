package io.parley.audience;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Pages through a task's audience in upload order ({@code seq}), optionally in one state. */
final class AudienceQuery {
  /** One page: the entries and the {@code after} that reads the next page, or null at the end. */
  record Page(List<Document> items, Long next) {
    JsonObject toJson() {
      JsonArray list = new JsonArray();
      items.forEach(d -> list.add(entry(d)));
      return new JsonObject().put("items", list).put("next", next);
    }
  }

  private final DocumentStore audience;

  AudienceQuery(App app) {
    this.audience = new DocumentStore(app.store(), Collections.AUDIENCE);
  }

  Future<Page> page(String taskId, Optional<TargetState> state, long after, int limit) {
    List<Bson> filters = new ArrayList<>(List.of(Filters.eq("task", taskId), Filters.gt("seq", after)));
    state.ifPresent(s -> filters.add(Filters.eq("state", s.wire())));
    // one more than asked tells whether another page exists without counting
    return audience.list(Filters.and(filters), Sorts.ascending("seq"), 0, limit + 1).map(docs -> {
      if (docs.size() <= limit) return new Page(docs, null);
      List<Document> page = docs.subList(0, limit);
      return new Page(page, ((Number) page.get(limit - 1).get("seq")).longValue());
    });
  }

  static JsonObject entry(Document d) {
    Document fields = d.get("fields", Document.class);
    return new JsonObject()
        .put("address", d.getString("address"))
        .put("kind", d.getString("kind"))
        .put("fields", fields == null ? new JsonObject() : new JsonObject(fields))
        .put("state", d.getString("state"))
        .put("reason", d.getString("reason"))
        .put("line", ((Number) d.get("line")).longValue());
  }
}
