package io.parley.followup;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The fields a manager may change on a follow-up task: {@code assigned_to}, {@code date}, {@code
 * is_complete}, and on one task also {@code outcome} and (lead tasks) {@code text}. Naming any other field
 * is a 409 naming it; a value of the wrong type or shape is a 400 naming it.
 */
record Change(Optional<String> assignTo, Optional<TaskDate> date, Optional<Boolean> isComplete,
    Optional<String> outcome, Optional<String> text) {
  static final List<String> ONE = List.of("assigned_to", "date", "is_complete", "outcome", "text");
  static final List<String> BULK = List.of("assigned_to", "date", "is_complete");

  static Change parse(JsonObject body, boolean bulk) {
    List<String> allowed = bulk ? BULK : ONE;
    for (String name : body.fieldNames()) {
      if (!allowed.contains(name)) {
        throw ApiError.conflict("not_updatable", name + " cannot be changed" + (bulk ? " in a bulk update" : "")
            + "; only " + String.join(", ", allowed) + " can", name);
      }
    }
    if (body.isEmpty()) throw ApiError.invalid(null, "the body names nothing to change (" + String.join(", ", allowed) + ")");
    for (String name : body.fieldNames()) {
      if (body.getValue(name) == null) throw ApiError.invalid(name, name + " must not be null");
    }
    Fields f = Fields.of(body, allowed.toArray(String[]::new));
    Optional<Boolean> complete = f.has("is_complete") ? Optional.of(f.bool("is_complete", false)) : Optional.empty();
    Optional<String> outcome = f.optionalString("outcome", 1, 64);
    if (outcome.isPresent() && complete.equals(Optional.of(false))) {
      throw ApiError.invalid("outcome", "an outcome is given when completing a task, not with is_complete false");
    }
    return new Change(f.optionalString("assigned_to", 1, 120), f.optionalString("date", 1, 40).map(d -> TaskDate.parse("date", d)),
        complete, outcome, f.optionalString("text", 1, 4000));
  }

  /** Whether this change completes the task: {@code is_complete: true}, or an outcome on its own. */
  boolean completes() {
    return isComplete.orElse(false) || (isComplete.isEmpty() && outcome.isPresent());
  }

  boolean reopens() {
    return isComplete.equals(Optional.of(false));
  }
}
