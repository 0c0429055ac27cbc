package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.EventAddresses;
import io.parley.audience.TargetState;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskCounters;
import io.parley.task.TaskFormat;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * Marks an outgoing task {@code completed} once no target is pending or in flight, exactly once. The
 * task's counters are the cheap first look; the decision itself is taken from the entries, and the
 * counters are rebuilt from them then, because a process killed between an entry's write and its counter's
 * can leave a counter off by one (without transactions there is no pairing the two writes).
 */
final class TaskCompletion {
  private final MongoCollection<Document> tasks;
  private final MongoCollection<Document> progress;
  private final MongoCollection<Document> audience;
  private final TargetClaims claims;
  private final Vertx vertx;

  TaskCompletion(Store store, Vertx vertx, TargetClaims claims) {
    this.tasks = store.collection(Collections.TASKS);
    this.progress = store.collection(Collections.TASK_PROGRESS);
    this.audience = store.collection(Collections.AUDIENCE);
    this.claims = claims;
    this.vertx = vertx;
  }

  /**
   * After a send: completes the task if its counters (its progress as just written) say it may be done and
   * its entries confirm it.
   */
  Future<Boolean> afterSend(Document progress, Instant now) {
    if (progress == null || TaskCounters.of(progress, TargetState.PENDING) > 0 || TaskCounters.of(progress, TargetState.SENDING) > 0) {
      return Future.succeededFuture(false);
    }
    return verify(progress.getString("_id"), now);
  }

  /** After a target ended without a dialogue: the same check, reading the task's progress first. */
  Future<Boolean> afterSend(String taskId, Instant now) {
    return Rx.first(progress.find(Filters.eq("_id", taskId)).projection(Projections.include("counts")).limit(1))
        .compose(found -> afterSend(found, now));
  }

  /** Completes the task if none of its entries is pending or being sent. Scans the task's entries. */
  Future<Boolean> verify(String taskId, Instant now) {
    return any(taskId, TargetState.PENDING).compose(pending -> pending ? Future.succeededFuture(true)
            : any(taskId, TargetState.SENDING))
        .compose(busy -> busy ? Future.succeededFuture(false) : claims.recount(taskId).compose(v -> complete(taskId, now)));
  }

  private Future<Boolean> any(String taskId, TargetState state) {
    return Rx.first(audience.find(Filters.and(Filters.eq("task", taskId), Filters.eq("state", state.wire()))).limit(1))
        .map(doc -> doc != null);
  }

  private Future<Boolean> complete(String taskId, Instant now) {
    return Rx.first(tasks.updateOne(Filters.and(Filters.eq("_id", taskId),
                Filters.eq("status", TaskStatus.IN_PROGRESS.wire()),
                Filters.eq("format", TaskFormat.INCOMING_OUTGOING.wire())),
            Updates.combine(Updates.set("status", TaskStatus.COMPLETED.wire()), Updates.set("finishedAt", Date.from(now)),
                Updates.set("updatedAt", Date.from(now)))))
        .map(r -> {
          boolean completed = r.getModifiedCount() > 0;
          if (completed) {
            vertx.eventBus().publish(EventAddresses.TASK_STATUS,
                new JsonObject().put("id", taskId).put("status", TaskStatus.COMPLETED.wire()));
          }
          return completed;
        });
  }
}
