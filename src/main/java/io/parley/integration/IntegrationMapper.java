package io.parley.integration;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Prepared;
import io.parley.resource.ResourceEndpoints;
import io.parley.resource.ResourceMapper;
import io.parley.resource.Values;
import io.parley.resource.WebhookSecrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;

/** Integration JSON ⇄ document. The signing secret is made here and never read back into an answer. */
final class IntegrationMapper implements ResourceMapper {
  static final List<String> EVENTS = List.of("dialogue.succeeded", "dialogue.closed", "dialogue.blocked", "task.completed",
      "manager_task.created", "manager_task.completed");

  @Override
  public Prepared validate(JsonObject input) {
    Fields f = Fields.of(input, "name", "url", "events", "enabled");
    return Prepared.of(new Document("name", f.string("name", 1, 200)).append("url", Values.url(f, "url"))
        .append("events", events(f)).append("enabled", f.bool("enabled", true)));
  }

  private static List<String> events(Fields f) {
    List<String> events = f.optionalStrings("events", 1, EVENTS.size()).orElse(List.of("dialogue.succeeded"));
    for (int i = 0; i < events.size(); i++) {
      if (!EVENTS.contains(events.get(i))) {
        String field = f.path("events") + "[" + i + "]";
        throw ApiError.invalid(field, field + " must be one of " + String.join(", ", EVENTS));
      }
    }
    return events;
  }

  /** A new integration gets its secret now, shown in this answer and never again. */
  @Override
  public Prepared create(JsonObject body) {
    String secret = WebhookSecrets.generate();
    return validate(body).with("secret", secret).reveal("secret", secret);
  }

  @Override
  public JsonObject editable(Document stored) {
    return new JsonObject().put("name", stored.getString("name")).put("url", stored.getString("url"))
        .put("events", new JsonArray(stored.getList("events", String.class)))
        .put("enabled", stored.getBoolean("enabled"));
  }

  /** A disabled integration says why when Parley disabled it (its receiver answered 410 Gone). */
  @Override
  public JsonObject toJson(Document stored) {
    JsonObject json = ResourceEndpoints.base(stored).mergeIn(editable(stored));
    if (Boolean.FALSE.equals(stored.getBoolean("enabled")) && stored.getString("disabledReason") != null) {
      json.put("disabledReason", stored.getString("disabledReason"));
    }
    return json;
  }
}
