package io.parley.resource;

import io.vertx.core.json.JsonObject;
import org.bson.Document;

/**
 * A validated resource ready to store: the fields its mapper owns, and what may be shown once in the
 * answer to this very request (a generated secret), never again.
 *
 * @param fields every field the mapper owns, absent ones as {@code null}, so one {@code $set} replaces them all
 * @param revealed fields added to this answer only
 */
public record Prepared(Document fields, JsonObject revealed) {
  public static Prepared of(Document fields) {
    return new Prepared(fields, new JsonObject());
  }

  public Prepared with(String field, Object value) {
    fields.put(field, value);
    return this;
  }

  public Prepared reveal(String field, String value) {
    revealed.put(field, value);
    return this;
  }
}
