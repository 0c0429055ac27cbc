package io.parley.dialogue;

import io.parley.dispatch.DialogueRecorder;
import io.parley.http.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** Dialogue and message documents as the managers' API shows them. */
final class DialogueMapper {
  private DialogueMapper() {}

  static JsonObject summary(Document d) {
    JsonObject json = new JsonObject()
        .put("id", d.getString("_id"))
        .put("task", d.getString("task"))
        .put("channel", d.getString("channel"))
        .put("contact", d.getString("contact"))
        .put("formerContacts", new JsonArray(d.getList("formerContacts", String.class, List.of())))
        .put("manager", d.getString("manager"))
        .put("state", d.getString("state"))
        .put("stateReason", d.getString("stateReason"))
        .put("origin", d.getString("origin"))
        .put("supersededBy", d.getString(DialogueRecorder.SUPERSEDED_BY))
        .put("outcome", d.getString("outcome"))
        .put("spend", Money.text(d.get("spend")))
        .put("unread", d.get("unread") instanceof Number n ? n.intValue() : 0)
        .put("createdAt", instant(d.getDate("createdAt")))
        .put("lastMessageAt", instant(d.getDate("lastMessageAt")))
        .put("closedAt", instant(d.getDate("closedAt")));
    Document fields = d.get("fields", Document.class);
    json.put("fields", fields == null ? new JsonObject() : new JsonObject(fields));
    Document last = d.get("lastMessage", Document.class);
    if (last != null) {
      json.put("lastMessage", new JsonObject().put("id", last.getString("id")).put("direction", last.getString("direction"))
          .put("author", last.getString("author")).put("text", last.getString("text"))
          .put("at", instant(last.getDate("at"))));
    }
    return json;
  }

  static JsonObject message(Document m) {
    return new JsonObject()
        .put("id", m.getString("_id"))
        .put("direction", m.getString("direction"))
        .put("author", m.getString("author"))
        .put("operator", m.getString("operator"))
        .put("text", m.getString("text"))
        .put("kind", m.getString("kind"))
        .put("status", "sending".equals(m.getString("status")) ? "pending" : m.getString("status"))
        .put("reason", m.getString("reason") != null ? m.getString("reason") : m.getString("failure")) // older records named it failure
        .put("channelMessageId", m.getString("platformMessageId"))
        .put("cost", Money.text(m.get("cost")))
        .put("at", instant(m.getDate("createdAt")));
  }

  static String instant(Date date) {
    return date == null ? null : date.toInstant().toString();
  }
}
