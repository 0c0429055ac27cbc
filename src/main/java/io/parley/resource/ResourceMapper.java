package io.parley.resource;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

/**
 * Converts one kind of resource between its JSON at the HTTP edge and its stored document. Validation
 * failures are thrown as {@link io.parley.http.ApiError}s naming the field; nothing is stored by a mapper.
 */
public interface ResourceMapper {
  /** Validates a complete input (a create body, or a stored resource with a patch merged in). */
  Prepared validate(JsonObject input);

  /** The stored resource as an input, secrets included, so a patch can be merged into it. */
  JsonObject editable(Document stored);

  /** The public answer; must never contain a secret. */
  JsonObject toJson(Document stored);

  default Prepared create(JsonObject body) {
    return validate(body);
  }

  /** A PATCH merges into the stored input (JSON Merge Patch) and passes the same validation as a create. */
  default Prepared patch(Document stored, JsonObject body) {
    return validate(JsonMerge.apply(editable(stored), body));
  }

  /** Checks that need the store (referenced ids exist); runs after {@link #validate}. */
  default Future<Prepared> verify(Prepared prepared) {
    return Future.succeededFuture(prepared);
  }
}
