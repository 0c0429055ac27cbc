package io.parley.resource;

import io.vertx.core.json.JsonObject;

/**
 * JSON Merge Patch (RFC 7396): objects merge field by field, {@code null} removes a field, anything else
 * (arrays included) replaces. Keeps PATCH semantics the same for every resource.
 */
public final class JsonMerge {
  private JsonMerge() {}

  /** {@code target} with {@code patch} applied; neither argument is modified. */
  public static JsonObject apply(JsonObject target, JsonObject patch) {
    JsonObject result = target.copy();
    for (String name : patch.fieldNames()) {
      Object value = patch.getValue(name);
      if (value == null) {
        result.remove(name);
      } else if (value instanceof JsonObject object && result.getValue(name) instanceof JsonObject existing) {
        result.put(name, apply(existing, object));
      } else {
        result.put(name, value);
      }
    }
    return result;
  }
}
