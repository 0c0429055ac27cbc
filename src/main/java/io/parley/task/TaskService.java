package io.parley.task;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.audience.AudienceImport;
import io.parley.channel.telegram.DeepLinks;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/** What marketers do with outreach tasks: every rule of creation, editing and the lifecycle. */
final class TaskService {
  private static final Set<String> IMMUTABLE = Set.of("type", "format", "channels");

  private final App app;
  private final TaskStore tasks;
  private final DeepLinks deepLinks;
  private final TaskReferences references;
  private final AudienceImport audience;

  TaskService(App app, TaskStore tasks, AudienceImport audience) {
    this.app = app;
    this.tasks = tasks;
    this.references = new TaskReferences(app.store());
    this.audience = audience;
    this.deepLinks = new DeepLinks(app.store());
  }

  /** Creates the task and imports the audience its body carries; answers the task and the import report. */
  Future<JsonObject> create(JsonObject body) {
    TaskDraft draft = TaskRequest.parse(body);
    List<String> lines = TaskRequest.audienceLines(body);
    if (!lines.isEmpty() && !draft.format().outgoing()) {
      throw new ApiError(400, "audience_not_used", "an incoming task only answers contacts who write first; "
          + "it has no audience", "audience");
    }
    String id = Ids.newId();
    return references.check(draft)
        .compose(v -> tasks.insert(TaskMapper.newTask(id, draft, now())))
        .compose(v -> audience.importLines(id, draft.type(), lines))
        .compose(report -> tasks.find(id).map(doc -> TaskMapper.detail(doc).put("audienceReport", report.toJson())));
  }

  Future<JsonObject> get(String id) {
    return existing(id).compose(doc -> deepLinks.describe(doc, TaskMapper.detail(doc)));
  }

  /** Re-validates the stored task merged with the changes, so a PATCH obeys every rule a create does. */
  Future<JsonObject> edit(String id, JsonObject changes) {
    for (String field : changes.fieldNames()) {
      if (IMMUTABLE.contains(field)) {
        throw ApiError.conflict("immutable", field + " cannot be changed after a task is created", field);
      }
    }
    if (changes.containsKey("audience")) {
      throw new ApiError(400, "unknown_field", "add audience with POST /api/tasks/" + id + "/audience", "audience");
    }
    return existing(id).compose(doc -> {
      if (TaskStatus.fromWire(doc.getString("status")).finished()) throw finished(doc);
      TaskDraft draft = TaskRequest.parse(merge(TaskMapper.requestShape(doc), changes));
      return references.check(draft).compose(v -> tasks.updateSettings(id, TaskMapper.settings(draft), now()));
    }).compose(updated -> updated != null ? Future.succeededFuture(TaskMapper.detail(updated))
        : existing(id).compose(doc -> Future.failedFuture(finished(doc))));
  }

  Future<JsonObject> apply(String id, TaskAction action) {
    return tasks.transition(id, action.from(), action.to(), now()).compose(updated -> {
      if (updated != null) {
        app.vertx().eventBus().publish(EventAddresses.TASK_STATUS,
            new JsonObject().put("id", id).put("status", action.to().wire()));
        return Future.succeededFuture(TaskMapper.detail(updated));
      }
      return existing(id).compose(doc -> Future.failedFuture(illegal(action, doc)));
    });
  }

  Future<Void> delete(String id) {
    return tasks.deleteFinished(id).compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : existing(id).compose(doc -> Future.failedFuture(ApiError.conflict("illegal_transition",
            "only a completed or stopped task can be deleted; this one is " + doc.getString("status"), "status"))));
  }

  Future<List<JsonObject>> rows(TaskStatus status, String type) {
    return tasks.list(status, type).compose(docs -> {
      Set<String> ai = new java.util.HashSet<>();
      Set<String> managers = new java.util.HashSet<>();
      docs.forEach(d -> {
        ai.add(d.getString("ai"));
        managers.addAll(TaskMapper.referencedManagers(d));
      });
      return names(Collections.AI_PROFILES, ai).compose(aiNames -> names(Collections.MANAGERS, managers)
          .map(managerNames -> docs.stream().map(d -> TaskMapper.row(d, aiNames, managerNames)).toList()));
    });
  }

  private Future<Map<String, String>> names(String collection, Set<String> ids) {
    return new DocumentStore(app.store(), collection).findAll(ids).map(docs -> {
      Map<String, String> names = new HashMap<>();
      docs.forEach(d -> names.put(d.getString("_id"), d.getString("name")));
      return names;
    });
  }

  private Future<Document> existing(String id) {
    return tasks.find(id).map(doc -> {
      if (doc == null) throw ApiError.notFound("task", id);
      return doc;
    });
  }

  private static JsonObject merge(JsonObject stored, JsonObject changes) {
    JsonObject merged = stored.copy();
    changes.forEach(e -> {
      if (e.getValue() == null) merged.remove(e.getKey());
      else merged.put(e.getKey(), e.getValue());
    });
    return merged;
  }

  private static ApiError illegal(TaskAction action, Document doc) {
    TaskStatus status = TaskStatus.fromWire(doc.getString("status"));
    return ApiError.conflict("illegal_transition", "cannot " + action.wire() + " a task that is " + status.wire()
        + "; allowed now: " + String.join(", ", status.actions()), "status");
  }

  private static ApiError finished(Document doc) {
    return ApiError.conflict("task_finished", "the task is " + doc.getString("status")
        + " and can no longer be edited", "status");
  }

  private Date now() {
    return Date.from(app.clock().instant());
  }
}
