package io.parley.audience;

import io.parley.App;
import io.parley.channel.Platform;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.task.TaskFormat;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import java.util.Locale;
import org.bson.Document;

/** The few facts of a task the audience needs, read from its document, and the checks made on them. */
record AudienceTask(String id, Platform type, TaskFormat format, TaskStatus status) {

  /** The task {@code id}; fails 404 if there is none. */
  static Future<AudienceTask> load(App app, String id) {
    return new DocumentStore(app.store(), Collections.TASKS).find(id).map(doc -> {
      if (doc == null) throw ApiError.notFound("task", id);
      return from(doc);
    });
  }

  private static AudienceTask from(Document doc) {
    return new AudienceTask(doc.getString("_id"),
        Platform.valueOf(doc.getString("type").toUpperCase(Locale.ROOT)),
        TaskFormat.valueOf(doc.getString("format").toUpperCase(Locale.ROOT)),
        TaskStatus.fromWire(doc.getString("status")));
  }

  /** Fails 409 unless targets may be added: the task opens dialogues and is not finished. */
  AudienceTask requireAcceptsTargets() {
    if (!format.outgoing()) {
      throw ApiError.conflict("audience_not_used", "task " + id + " has format " + format.wire()
          + ": it only answers contacts who write first, so it has no target audience", "audience");
    }
    if (status.finished()) {
      throw ApiError.conflict("task_finished", "task " + id + " is " + status.wire()
          + "; targets can no longer be added", null);
    }
    return this;
  }
}
