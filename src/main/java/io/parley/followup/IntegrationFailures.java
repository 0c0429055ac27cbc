package io.parley.followup;

import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.DerivedIds;
import io.parley.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.bson.Document;

/**
 * An {@code integration_failed} task for each callback given up on (one per delivery, however often the
 * event arrives), for the dialogue's manager, else the least loaded manager of the outreach task.
 */
final class IntegrationFailures {
  private final App app;
  private final ManagerTaskStore tasks;
  private final Assignees assignees;
  private final ManagerTaskEvents events;

  IntegrationFailures(App app, ManagerTaskStore tasks, Assignees assignees, ManagerTaskEvents events) {
    this.app = app;
    this.tasks = tasks;
    this.assignees = assignees;
    this.events = events;
  }

  /** {@code gaveUp}: the payload of {@code CALLBACK_GAVE_UP}. */
  Future<Void> gaveUp(JsonObject gaveUp) {
    String deliveryId = gaveUp.getString("deliveryId");
    if (deliveryId == null) return Future.succeededFuture();
    String dialogueId = gaveUp.getString("dialogueId");
    String taskId = gaveUp.getString("taskId");
    Future<Document> dialogue = dialogueId == null ? Future.succeededFuture(null)
        : new DocumentStore(app.store(), Collections.DIALOGUES).find(dialogueId);
    return dialogue.compose(d -> owner(d, taskId).compose(owner -> {
      Instant now = app.clock().instant();
      Document integration = new Document("integrationId", gaveUp.getString("integrationId"))
          .append("deliveryId", deliveryId).append("event", gaveUp.getString("event"))
          .append("reason", gaveUp.getString("reason"));
      String text = "The callback " + gaveUp.getString("event") + " to integration " + gaveUp.getString("integrationId")
          + " was given up on: " + gaveUp.getString("reason");
      Document doc = ManagerTaskMapper.newTask(DerivedIds.of("gave-up:" + deliveryId), ManagerTaskType.INTEGRATION_FAILED,
          new ManagerTaskMapper.Refs(d == null ? null : d.getString("contact"), dialogueId,
              taskId != null ? taskId : d == null ? null : d.getString("task")),
          owner, TaskDate.at(now), now, new Document("text", text).append("integration", integration));
      return tasks.insertOnce(doc).map(inserted -> {
        if (inserted) events.created(doc, now);
        return (Void) null;
      });
    }));
  }

  private Future<String> owner(Document dialogue, String taskId) {
    if (dialogue != null && dialogue.getString("manager") != null) return Future.succeededFuture(dialogue.getString("manager"));
    if (taskId == null) return Future.succeededFuture(null);
    return new DocumentStore(app.store(), Collections.TASKS).find(taskId)
        .compose(t -> assignees.leastLoaded(t == null ? List.of() : t.getList("managers", String.class, List.of())));
  }
}
