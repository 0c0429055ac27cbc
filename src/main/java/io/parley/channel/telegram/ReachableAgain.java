package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.EventAddresses;
import io.parley.audience.BatchWriter;
import io.parley.audience.TargetState;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskCounters;
import io.parley.task.TaskProgress;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Someone who could not be reached (they had not started the bot) now wrote to it: their targets in the
 * channel's live tasks go back to {@code pending}, counters and cursor with them (the dispatcher's sweep
 * finds entries behind its cursor), and a task that had completed for want of reachable targets resumes.
 */
final class ReachableAgain {
  /** Tasks whose unreachable targets are picked up again; awaiting ones have not tried theirs yet. */
  static final List<String> LIVE = List.of(TaskStatus.IN_PROGRESS.wire(), TaskStatus.PAUSED.wire(), TaskStatus.COMPLETED.wire());

  private final MongoCollection<Document> tasks;
  private final MongoCollection<Document> audience;
  private final TaskCounters counters;
  private final TaskProgress progress;
  private final EventBus eventBus;
  private final Clock clock;

  ReachableAgain(Store store, EventBus eventBus, Clock clock) {
    this.tasks = store.collection(Collections.TASKS);
    this.progress = new TaskProgress(store);
    this.audience = store.collection(Collections.AUDIENCE);
    this.counters = new TaskCounters(store);
    this.eventBus = eventBus;
    this.clock = clock;
  }

  /** Requeues the person's unreachable targets in every live task on the channel; answers how many. */
  Future<Integer> requeue(String channelId, List<String> addresses) {
    return Rx.list(tasks.find(Filters.and(Filters.eq("channels", channelId), Filters.in("status", LIVE)))
            .projection(Projections.include("_id")))
        .compose(live -> {
          Future<Integer> n = Future.succeededFuture(0);
          for (Document task : live) {
            n = n.compose(sum -> requeue(task.getString("_id"), channelId, addresses).map(k -> sum + k));
          }
          return n;
        });
  }

  /** The same for one task. */
  Future<Integer> requeue(String taskId, String channelId, List<String> addresses) {
    Future<Integer> n = Future.succeededFuture(0);
    for (String address : addresses) {
      n = n.compose(sum -> requeueEntry(taskId, BatchWriter.entryId(taskId, address)).map(moved -> moved ? sum + 1 : sum));
    }
    return n.compose(moved -> moved == 0 ? Future.succeededFuture(0) : reopen(taskId).map(moved));
  }

  private Future<Boolean> requeueEntry(String taskId, String entryId) {
    return Rx.first(audience.find(Filters.eq("_id", entryId)).limit(1)).compose(entry -> {
      if (entry == null || !unreachable(entry)) return Future.succeededFuture(false);
      return Rx.first(audience.findOneAndUpdate(Filters.eq("_id", entryId), Updates.combine(
              Updates.set("state", TargetState.PENDING.wire()), Updates.set("reason", null), Updates.set("claims", 0),
              Updates.unset("owner"), Updates.unset("channel"), Updates.unset("finishedAt")),
              new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)))
          .compose(before -> {
            // Two updates of the same person may race here: only the one that saw it skipped moves counters.
            if (before == null || !unreachable(before)) return Future.succeededFuture(false);
            long seq = before.get("seq", Number.class).longValue();
            return counters.move(taskId, TargetState.SKIPPED, TargetState.PENDING, 1)
                .compose(v -> progress.update(taskId, Updates.min("cursor", seq - 1)))
                .map(true);
          });
    });
  }

  private static boolean unreachable(Document entry) {
    String reason = entry.getString("reason");
    return TargetState.SKIPPED.wire().equals(entry.getString("state")) && reason != null && reason.startsWith("unreachable");
  }

  /** A completed task has a target to send again: it runs again, and its dispatchers hear of it. */
  Future<Void> reopen(String taskId) {
    return Rx.first(tasks.updateOne(Filters.and(Filters.eq("_id", taskId), Filters.eq("status", TaskStatus.COMPLETED.wire())),
            Updates.combine(Updates.set("status", TaskStatus.IN_PROGRESS.wire()), Updates.unset("finishedAt"),
                Updates.set("updatedAt", Date.from(clock.instant())))))
        .map(r -> {
          if (r.getModifiedCount() > 0) {
            eventBus.publish(EventAddresses.TASK_STATUS, new JsonObject().put("id", taskId).put("status", TaskStatus.IN_PROGRESS.wire()));
          }
          return null;
        });
  }
}
