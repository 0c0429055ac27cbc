package io.parley.integration.delivery;

import io.parley.App;
import io.parley.EventAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to what happens in Parley and turns the facts integrations may subscribe to into callbacks:
 * a successful or closed dialogue, a blocked one, a completed task, a follow-up task created or done.
 */
public final class CallbackEvents extends VerticleBase {
  static final String SUCCEEDED = "dialogue.succeeded";
  static final String CLOSED = "dialogue.closed";
  static final String BLOCKED = "dialogue.blocked";
  static final String TASK_COMPLETED = "task.completed";
  static final String MANAGER_TASK_CREATED = "manager_task.created";
  static final String MANAGER_TASK_COMPLETED = "manager_task.completed";

  private static final Logger log = LoggerFactory.getLogger(CallbackEvents.class);

  private final App app;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private Callbacks callbacks;
  private CallbackPayloads payloads;

  public CallbackEvents(App app) {
    this.app = app;
  }

  @Override
  public Future<?> start() {
    callbacks = new Callbacks(app);
    payloads = new CallbackPayloads(app);
    listen(EventAddresses.DIALOGUE_OUTCOME, this::outcome);
    listen(EventAddresses.DIALOGUE_BLOCKED, this::blocked);
    listen(EventAddresses.TASK_STATUS, this::taskStatus);
    listen(EventAddresses.MANAGER_TASK_CREATED, e -> managerTask(MANAGER_TASK_CREATED, e));
    listen(EventAddresses.MANAGER_TASK_COMPLETED, e -> managerTask(MANAGER_TASK_COMPLETED, e));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void listen(String address, Function<JsonObject, Future<?>> handler) {
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(address, m -> handler.apply(m.body())
        .onFailure(err -> log.error("Callbacks for {} {} could not be stored: {}", address, m.body().encode(), err.toString()))));
  }

  private Future<?> outcome(JsonObject e) {
    return callbacks.dialogueOutcome(e.getString("dialogueId"), e.getString("taskId"), e.getString("outcome"),
        e.getString("by"), Boolean.TRUE.equals(e.getBoolean("closed")), e.getString("at"));
  }

  private Future<?> blocked(JsonObject e) {
    String dialogueId = e.getString("dialogueId");
    JsonObject extra = new JsonObject().put("reason", e.getString("reason")).put("at", e.getString("at"));
    // a dialogue may be blocked, freed by a manager and blocked again: each time is its own fact
    return payloads.dialogue(dialogueId, e.getString("taskId"), extra).compose(data ->
        callbacks.enqueue(BLOCKED, BLOCKED + ":" + dialogueId + ":" + e.getString("at"), data, e.getString("taskId")));
  }

  private Future<?> taskStatus(JsonObject e) {
    if (!"completed".equals(e.getString("status"))) return Future.succeededFuture();
    String taskId = e.getString("id");
    return payloads.completedTask(taskId).compose(task -> callbacks.enqueue(TASK_COMPLETED, TASK_COMPLETED + ":" + taskId,
        new JsonObject().put("task", task), taskId));
  }

  private Future<?> managerTask(String event, JsonObject e) {
    String taskId = e.getString("taskId");
    return payloads.task(taskId).compose(task -> {
      JsonObject data = new JsonObject().put("managerTask", e.copy());
      if (task != null) data.put("task", task);
      if (e.getString("dialogueId") != null) data.put("dialogueId", e.getString("dialogueId"));
      // an outcome's call_integration action asks for the completion callback whatever the subscription
      boolean asked = MANAGER_TASK_COMPLETED.equals(event) && Boolean.TRUE.equals(e.getBoolean("callIntegration"));
      return asked ? callbacks.enqueueAsked(event, event + ":" + e.getString("id"), data, taskId)
          : callbacks.enqueue(event, event + ":" + e.getString("id"), data, taskId);
    });
  }
}
