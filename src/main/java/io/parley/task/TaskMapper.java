package io.parley.task;

import io.parley.audience.TargetState;
import io.parley.http.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;

/** The one place task documents are converted: draft → MongoDB, MongoDB → API JSON. */
final class TaskMapper {
  private TaskMapper() {}

  /** The editable settings as a {@code $set} document (everything but identity, lifecycle and counters). */
  static Document settings(TaskDraft d) {
    Document doc = new Document()
        .append("name", d.name())
        .append("managers", d.managers())
        .append("managerAssignment", d.managerAssignment().wire())
        .append("ai", d.ai())
        .append("integration", d.integration().orElse(null))
        .append("spendLimitPerDialogue", new Decimal128(d.spendLimitPerDialogue()))
        .append("workingHours", d.workingHours().map(w -> new Document("from", w.from()).append("to", w.to())).orElse(null))
        .append("dailyLimitPerChannel", d.dailyLimitPerChannel().orElse(null))
        .append("pauseBetweenDialogues", d.pauseBetweenDialogues().orElse(null))
        .append("openingMessage", d.openingMessage().map(TaskMapper::opening).orElse(null))
        .append("afterHandoverTimeout", d.afterHandoverTimeout().orElse(null))
        .append("outcomes", d.followUp().outcomes().toDocument())
        .append("followUpAfterDays", d.followUp().followUpAfterDays().orElse(null))
        .append("closeOnOutcome", d.closeOnOutcome());
    return doc;
  }

  static Document newTask(String id, TaskDraft d, Date now) {
    Document doc = new Document("_id", id)
        .append("type", d.type().wire())
        .append("format", d.format().wire())
        .append("channels", d.channels());
    doc.putAll(settings(d));
    return doc.append("status", TaskStatus.AWAITING.wire())
        .append("createdAt", now)
        .append("updatedAt", now);
  }

  private static Document opening(OpeningMessage m) {
    if (!m.isTemplate()) return new Document("text", m.text());
    return new Document("template", new Document("name", m.template().name())
        .append("language", m.template().language()).append("parameters", m.template().parameters()));
  }

  /** The task in the shape a create body has: what a PATCH body is merged into before re-validation. */
  static JsonObject requestShape(Document doc) {
    JsonObject json = new JsonObject()
        .put("name", doc.getString("name"))
        .put("type", doc.getString("type"))
        .put("format", doc.getString("format"))
        .put("channels", new JsonArray(doc.getList("channels", String.class)))
        .put("managers", new JsonArray(doc.getList("managers", String.class)))
        .put("managerAssignment", doc.getString("managerAssignment"))
        .put("ai", doc.getString("ai"))
        .put("spendLimitPerDialogue", decimal(doc, "spendLimitPerDialogue").toPlainString())
        .put("closeOnOutcome", doc.getBoolean("closeOnOutcome", true));
    putIfPresent(json, "integration", doc.getString("integration"));
    putIfPresent(json, "workingHours", doc.get("workingHours", Document.class));
    putIfPresent(json, "dailyLimitPerChannel", doc.getInteger("dailyLimitPerChannel"));
    putIfPresent(json, "pauseBetweenDialogues", doc.getInteger("pauseBetweenDialogues"));
    putIfPresent(json, "openingMessage", doc.get("openingMessage", Document.class));
    putIfPresent(json, "afterHandoverTimeout", doc.getString("afterHandoverTimeout"));
    json.put("outcomes", OutcomeRules.of(doc).toJson());
    putIfPresent(json, "followUpAfterDays", doc.getInteger("followUpAfterDays"));
    return json;
  }

  private static void putIfPresent(JsonObject json, String key, Object value) {
    if (value instanceof Document d) json.put(key, new JsonObject(d.toJson()));
    else if (value != null) json.put(key, value);
  }

  /** The full task with its progress, as {@code GET /api/tasks/{id}} answers it. */
  static JsonObject detail(Document doc) {
    JsonObject json = requestShape(doc);
    json.remove("spendLimitPerDialogue");
    TaskStatus status = TaskStatus.fromWire(doc.getString("status"));
    Document stats = doc.get("stats", Document.class);
    JsonObject progress = new JsonObject();
    for (TargetState s : TargetState.values()) progress.put(s.wire(), TaskCounters.of(doc, s));
    progress.put("dialogues", number(stats, "dialogues"))
        .put("succeeded", number(stats, "succeeded"))
        .put("spend", Money.text(stats == null ? null : stats.get("spend")));
    return new JsonObject().put("id", doc.getString("_id")).mergeIn(json)
        .put("spendLimitPerDialogue", decimal(doc, "spendLimitPerDialogue").toPlainString())
        .put("status", status.wire())
        .put("actions", new JsonArray(status.actions()))
        .put("remaining", remaining(doc))
        .put("progress", progress)
        .put("createdAt", instant(doc, "createdAt"))
        .put("updatedAt", instant(doc, "updatedAt"))
        .put("startedAt", instant(doc, "startedAt"))
        .put("finishedAt", instant(doc, "finishedAt"));
  }

  /** One row of the task table: the columns marketers see, with names of the AI and managers resolved. */
  static JsonObject row(Document doc, Map<String, String> aiNames, Map<String, String> managerNames) {
    TaskStatus status = TaskStatus.fromWire(doc.getString("status"));
    JsonArray managers = new JsonArray();
    for (String id : doc.getList("managers", String.class)) {
      managers.add(new JsonObject().put("id", id).put("name", managerNames.get(id)));
    }
    JsonObject counts = new JsonObject();
    for (TargetState s : TargetState.values()) counts.put(s.wire(), TaskCounters.of(doc, s));
    String ai = doc.getString("ai");
    return new JsonObject()
        .put("id", doc.getString("_id"))
        .put("name", doc.getString("name"))
        .put("type", doc.getString("type"))
        .put("format", doc.getString("format"))
        .put("ai", new JsonObject().put("id", ai).put("name", aiNames.get(ai)))
        .put("managers", managers)
        .put("remaining", remaining(doc))
        .put("status", status.wire())
        .put("actions", new JsonArray(status.actions()))
        .put("counts", counts);
  }

  /** Contacts not reached yet: waiting, or being sent right now. */
  static long remaining(Document doc) {
    return TaskCounters.of(doc, TargetState.PENDING) + TaskCounters.of(doc, TargetState.SENDING);
  }

  static List<String> referencedManagers(Document doc) {
    return doc.getList("managers", String.class);
  }

  private static BigDecimal decimal(Document doc, String key) {
    Object v = doc.get(key);
    if (v instanceof Decimal128 d) return d.bigDecimalValue();
    if (v instanceof Number n) return new BigDecimal(n.toString());
    return BigDecimal.ZERO;
  }

  private static long number(Document doc, String key) {
    Object v = doc == null ? null : doc.get(key);
    return v instanceof Number n ? n.longValue() : 0L;
  }

  private static String instant(Document doc, String key) {
    Date d = doc.getDate(key);
    return d == null ? null : d.toInstant().toString();
  }
}
