package io.parley.integration.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** Delivery documents as the API shows them; the log and the payload only for one delivery. */
final class DeliveryMapper {
  private DeliveryMapper() {}

  static JsonObject summary(Document d) {
    return new JsonObject().put("id", d.getString("_id")).put("integration", d.getString("integration"))
        .put("event", d.getString("event")).put("status", d.getString("status"))
        .put("attempts", DeliveryOutcomes.number(d, "attempts"))
        .put("lastStatusCode", d.get("lastStatusCode") instanceof Number n ? n.intValue() : null)
        .put("nextAttemptAt", iso(d.getDate("nextAttemptAt")))
        .put("reason", d.getString("reason")).put("taskId", d.getString("task")).put("dialogueId", d.getString("dialogue"))
        .put("createdAt", iso(d.getDate("createdAt"))).put("updatedAt", iso(d.getDate("updatedAt")));
  }

  static JsonObject full(Document d) {
    JsonArray log = new JsonArray();
    List<Document> entries = d.getList("log", Document.class);
    if (entries != null) {
      for (Document a : entries) {
        log.add(new JsonObject().put("at", iso(a.getDate("at")))
            .put("status", a.get("status") instanceof Number n ? n.intValue() : null)
            .put("durationMs", a.get("durationMs") instanceof Number n ? n.longValue() : 0L)
            .put("error", a.getString("error")).put("response", a.getString("response")));
      }
    }
    return summary(d).put("log", log).put("payload", new JsonObject(d.getString("body")));
  }

  private static String iso(Date date) {
    return date == null ? null : date.toInstant().toString();
  }
}
