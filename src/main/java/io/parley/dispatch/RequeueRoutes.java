package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.App;
import io.parley.EventAddresses;
import io.parley.audience.TargetState;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.http.Responses;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.task.TaskCounters;
import io.parley.task.TaskProgress;
import io.parley.task.TaskStatus;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * {@code POST /api/tasks/{id}/audience/requeue {state: "unknown"}}: the marketer decides that targets
 * whose send was interrupted should be tried again. They go back to {@code pending} with the message id
 * they had, so a receiver that did get the first try can recognise the repeat; a completed task resumes.
 */
public final class RequeueRoutes {
  private final App app;
  private final MongoCollection<Document> audience;
  private final MongoCollection<Document> tasks;
  private final TaskCounters counters;
  private final TaskProgress progress;

  public RequeueRoutes(App app) {
    this.app = app;
    this.audience = app.store().collection(Collections.AUDIENCE);
    this.tasks = app.store().collection(Collections.TASKS);
    this.counters = new TaskCounters(app.store());
    this.progress = new TaskProgress(app.store());
  }

  public void mount(Api api) {
    api.json(HttpMethod.POST, "/api/tasks/:id/audience/requeue", Api.roles(Role.MARKETER), (ctx, body) -> {
      Fields f = Fields.of(body, "state");
      String state = f.string("state", 1, 20);
      if (!state.equals(TargetState.UNKNOWN.wire())) {
        throw ApiError.invalid("state", "only targets in state unknown can be requeued (got \"" + state + "\")");
      }
      Responses.reply(ctx, 200, requeue(Api.id(ctx, "id", "task")));
    });
  }

  private Future<JsonObject> requeue(String taskId) {
    return Rx.first(tasks.find(Filters.eq("_id", taskId)).limit(1)).compose(task -> {
      if (task == null) throw ApiError.notFound("task", taskId);
      if (TaskStatus.STOPPED.wire().equals(task.getString("status"))) {
        throw ApiError.conflict("task_finished", "the task is stopped; its targets cannot be requeued", "status");
      }
      return Rx.list(audience.find(Filters.and(Filters.eq("task", taskId), Filters.eq("state", TargetState.UNKNOWN.wire())))
          .sort(Sorts.ascending("seq")));
    }).compose(entries -> pendingAgain(taskId, entries));
  }

  private Future<JsonObject> pendingAgain(String taskId, List<Document> entries) {
    Future<Long> moved = Future.succeededFuture(0L);
    for (Document e : entries) {
      moved = moved.compose(n -> Rx.first(audience.updateOne(Filters.eq("_id", e.get("_id")),
              Updates.combine(Updates.set("state", TargetState.PENDING.wire()), Updates.set("reason", null),
                  Updates.set("claims", 0), Updates.unset("owner"), Updates.unset("channel"))))
          .map(r -> n + r.getModifiedCount()));
    }
    return moved.compose(n -> {
      if (n == 0) return Future.succeededFuture(new JsonObject().put("requeued", 0L));
      long firstSeq = entries.get(0).get("seq", Number.class).longValue();
      Date now = Date.from(app.clock().instant());
      return counters.move(taskId, TargetState.UNKNOWN, TargetState.PENDING, n)
          .compose(v -> progress.update(taskId, Updates.min("cursor", firstSeq - 1)))
          .compose(v -> Rx.first(tasks.updateOne(Filters.and(Filters.eq("_id", taskId),
              Filters.eq("status", TaskStatus.COMPLETED.wire())), Updates.combine(
              Updates.set("status", TaskStatus.IN_PROGRESS.wire()), Updates.unset("finishedAt"), Updates.set("updatedAt", now)))))
          .map(r -> {
            if (r.getModifiedCount() > 0) {
              app.vertx().eventBus().publish(EventAddresses.TASK_STATUS,
                  new JsonObject().put("id", taskId).put("status", TaskStatus.IN_PROGRESS.wire()));
            }
            return new JsonObject().put("requeued", n);
          });
    });
  }
}
