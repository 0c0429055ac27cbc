package io.parley.manager;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Prepared;
import io.parley.resource.ResourceEndpoints;
import io.parley.resource.ResourceMapper;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;
import org.bson.Document;

/** Virtual manager JSON ⇄ document. */
final class ManagerMapper implements ResourceMapper {
  private static final int MAX_OPERATORS = 100;
  private final Operators operators;

  ManagerMapper(Operators operators) {
    this.operators = operators;
  }

  @Override
  public Prepared validate(JsonObject input) {
    Fields f = Fields.of(input, "name", "persona", "operators", "timezone", "group");
    return Prepared.of(new Document("name", f.string("name", 1, 100))
        .append("persona", f.optionalString("persona", 0, 4000).orElse(""))
        .append("operators", f.optionalStrings("operators", 0, MAX_OPERATORS).orElse(List.of()))
        .append("timezone", timezone(f))
        .append("group", f.optionalString("group", 1, 100).orElse(null)));
  }

  /** Only region ids (Europe/Moscow), not fixed offsets, so daylight saving is followed. */
  private static String timezone(Fields f) {
    return f.optionalString("timezone", 1, 100).map(zone -> {
      if (!ZoneId.getAvailableZoneIds().contains(zone)) {
        throw ApiError.invalid(f.path("timezone"), f.path("timezone") + " must be an IANA time zone such as Europe/Moscow");
      }
      return zone;
    }).orElse(null);
  }

  @Override
  public Future<Prepared> verify(Prepared prepared) {
    return operators.requireManagers(prepared.fields().getList("operators", String.class)).map(prepared);
  }

  @Override
  public JsonObject editable(Document stored) {
    JsonObject input = new JsonObject().put("name", stored.getString("name")).put("persona", stored.getString("persona"))
        .put("operators", new JsonArray(stored.getList("operators", String.class)));
    if (stored.getString("timezone") != null) input.put("timezone", stored.getString("timezone"));
    if (stored.getString("group") != null) input.put("group", stored.getString("group"));
    return input;
  }

  @Override
  public JsonObject toJson(Document stored) {
    return ResourceEndpoints.base(stored).mergeIn(editable(stored)).put("timezone", stored.getString("timezone"))
        .put("group", stored.getString("group"));
  }
}
