package io.parley.integration.delivery;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.parley.App;
import io.parley.audience.TargetState;
import io.parley.http.Money;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.task.TaskCounters;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The {@code data} of callbacks, read from the store when the fact happens: the task, the contact with
 * its merge fields, the dialogue's summary with its last messages and a link to its transcript, the
 * outcome and the spend (an exact decimal string).
 */
final class CallbackPayloads {
  static final int LAST_MESSAGES = 5;

  private final App app;
  private final DocumentStore dialogues;
  private final DocumentStore tasks;
  private final TaskProgress progress;
  private final DocumentStore messages;

  CallbackPayloads(App app) {
    this.app = app;
    this.dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
    this.tasks = new DocumentStore(app.store(), Collections.TASKS);
    this.progress = new TaskProgress(app.store());
    this.messages = new DocumentStore(app.store(), Collections.MESSAGES);
  }

  /** The data of a dialogue event; {@code extra} (outcome, reason, by) is merged in. */
  Future<JsonObject> dialogue(String dialogueId, String taskId, JsonObject extra) {
    return dialogues.find(dialogueId).compose(dialogue -> {
      String task = taskId != null ? taskId : dialogue == null ? null : dialogue.getString("task");
      return task(task).compose(taskJson -> summary(dialogueId, dialogue).map(summary -> {
        JsonObject data = new JsonObject().put("dialogueId", dialogueId).put("task", taskJson).put("dialogue", summary);
        if (dialogue != null) {
          Document fields = dialogue.get("fields", Document.class);
          data.put("contact", new JsonObject().put("address", dialogue.getString("contact"))
              .put("fields", fields == null ? new JsonObject() : new JsonObject(fields.toJson())));
          data.put("spend", Money.text(dialogue.get("spend")));
        }
        return data.mergeIn(extra);
      }));
    });
  }

  /** {@code {id, name}} of a task, or null when there is none. */
  Future<JsonObject> task(String taskId) {
    if (taskId == null) return Future.succeededFuture(null);
    return tasks.find(taskId).map(t -> t == null ? new JsonObject().put("id", taskId)
        : new JsonObject().put("id", taskId).put("name", t.getString("name")).put("status", t.getString("status")));
  }

  /** A finished task with its audience counts per state and its spend (for {@code task.completed}). */
  Future<JsonObject> completedTask(String taskId) {
    return tasks.find(taskId).compose(progress::attach).map(t -> {
      JsonObject task = new JsonObject().put("id", taskId);
      if (t == null) return task;
      Document stats = t.get("stats", Document.class);
      JsonObject countsJson = new JsonObject();
      for (TargetState state : TargetState.values()) countsJson.put(state.wire(), TaskCounters.of(t, state));
      return task.put("name", t.getString("name")).put("status", t.getString("status")).put("counts", countsJson)
          .put("spend", Money.text(stats == null ? null : stats.get("spend")));
    });
  }

  private Future<JsonObject> summary(String dialogueId, Document dialogue) {
    JsonObject summary = new JsonObject().put("id", dialogueId)
        .put("transcriptUrl", app.config().baseUrl(app.config().httpPort()) + "/api/dialogues/" + dialogueId);
    if (dialogue == null) return Future.succeededFuture(summary);
    summary.put("state", dialogue.getString("state")).put("outcome", dialogue.getString("outcome"))
        .put("channel", dialogue.getString("channel")).put("manager", dialogue.getString("manager"))
        .put("createdAt", iso(dialogue.getDate("createdAt"))).put("lastMessageAt", iso(dialogue.getDate("lastMessageAt")));
    return messages.count(Filters.eq("dialogue", dialogueId))
        .compose(count -> messages.list(Filters.eq("dialogue", dialogueId), Sorts.descending("createdAt"), 0, LAST_MESSAGES)
            .map(last -> summary.put("messageCount", count).put("lastMessages", lastMessages(last))));
  }

  private static JsonArray lastMessages(List<Document> newestFirst) {
    JsonArray list = new JsonArray();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Document m = newestFirst.get(i);
      list.add(new JsonObject().put("direction", m.getString("direction")).put("author", m.getString("author"))
          .put("text", m.getString("text")).put("createdAt", iso(m.getDate("createdAt"))));
    }
    return list;
  }

  private static String iso(Date date) {
    return date == null ? null : date.toInstant().toString();
  }
}
