package io.parley.followup;

import io.parley.EventAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.bson.Document;

/** Publishes what happened to follow-up tasks, in the payloads {@link EventAddresses} declares. */
final class ManagerTaskEvents {
  private final Vertx vertx;

  ManagerTaskEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  void created(Document task, Instant at) {
    vertx.eventBus().publish(EventAddresses.MANAGER_TASK_CREATED, base(task)
        .put("date", task.getString("date")).put("at", at.toString()));
  }

  /**
   * {@code callIntegration} is true when the outcome's actions include {@code call_integration}: the
   * integration of the outreach task is to receive {@code manager_task.completed}.
   */
  void completed(Document task, boolean callIntegration, Instant at) {
    vertx.eventBus().publish(EventAddresses.MANAGER_TASK_COMPLETED, base(task)
        .put("outcome", task.getString("outcome")).put("callIntegration", callIntegration).put("at", at.toString()));
  }

  private static JsonObject base(Document task) {
    JsonObject json = new JsonObject().put("id", task.getString("_id")).put("type", task.getString("type"))
        .put("assignedTo", task.getString("assignedTo"));
    if (task.getString("dialogue") != null) json.put("dialogueId", task.getString("dialogue"));
    if (task.getString("task") != null) json.put("taskId", task.getString("task"));
    if (task.getString("contact") != null) json.put("contact", task.getString("contact"));
    return json;
  }
}
