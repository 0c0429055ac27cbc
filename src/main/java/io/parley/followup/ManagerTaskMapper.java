package io.parley.followup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Follow-up task documents ⇄ API JSON. Stored: {@code _id, type, text, contact, dialogue, task, message,
 * messages, integration, assignedTo, date, allDay, due, isComplete, outcome, createdAt, updatedAt,
 * completedAt, history}; answered with the API's names ({@code assigned_to, is_complete, created, ...}).
 */
final class ManagerTaskMapper {
  private ManagerTaskMapper() {}

  /** A new task document; {@code extra} carries the type's own fields (text, messages, ...). */
  static Document newTask(String id, ManagerTaskType type, Refs refs, String assignedTo, TaskDate date,
      Instant now, Document extra) {
    Date at = Date.from(now);
    Document doc = new Document("_id", id).append("type", type.wire())
        .append("contact", refs.contact()).append("dialogue", refs.dialogue()).append("task", refs.task());
    doc.putAll(extra);
    return doc.append("assignedTo", assignedTo)
        .append("date", date.wire()).append("allDay", date.allDay()).append("due", date.due())
        .append("isComplete", false).append("outcome", null)
        .append("createdAt", at).append("updatedAt", at).append("completedAt", null).append("version", 0L)
        .append("history", List.of(history("assigned", at, null).append("to", assignedTo)));
  }

  /** What a task is about: any of contact, dialogue and outreach task (null when it has none). */
  record Refs(String contact, String dialogue, String task) {
    static Refs none() {
      return new Refs(null, null, null);
    }
  }

  static Document history(String action, Date at, String by) {
    return new Document("action", action).append("at", at).append("by", by);
  }

  static JsonObject toJson(Document d) {
    JsonObject json = new JsonObject().put("id", d.getString("_id")).put("type", d.getString("type"));
    if (d.containsKey("text")) json.put("text", d.getString("text"));
    json.put("contact", d.getString("contact")).put("dialogue", d.getString("dialogue")).put("task", d.getString("task"));
    if (d.containsKey("messages")) json.put("messages", new JsonArray(d.getList("messages", String.class)));
    if (d.containsKey("message")) json.put("message", d.getString("message"));
    if (d.containsKey("reason")) json.put("reason", d.getString("reason"));
    if (d.get("integration") instanceof Document i) json.put("integration", new JsonObject(i.toJson()));
    json.put("assigned_to", d.getString("assignedTo")).put("date", d.getString("date"))
        .put("is_complete", d.getBoolean("isComplete", false)).put("outcome", d.getString("outcome"))
        .put("created", instant(d.getDate("createdAt"))).put("updated", instant(d.getDate("updatedAt")))
        .put("completed", instant(d.getDate("completedAt")));
    JsonArray history = new JsonArray();
    for (Document h : d.getList("history", Document.class, List.of())) {
      JsonObject entry = new JsonObject();
      h.forEach((k, v) -> entry.put(k, v instanceof Date date ? instant(date) : v));
      history.add(entry);
    }
    return json.put("history", history);
  }

  static String instant(Date d) {
    return d == null ? null : d.toInstant().toString();
  }
}
