package io.parley.audience;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.parley.task.TaskCounters;
import io.vertx.core.Future;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Tasks written straight into the store (the task API is another feature) and blocking reads of what an
 * upload left behind, for assertions.
 */
final class AudienceFixture {
  private final App app;

  AudienceFixture(App app) {
    this.app = app;
  }

  String task(String type, String format, String status) {
    String id = Ids.newId();
    Document task = new Document("_id", id).append("name", "fixture " + type).append("type", type)
        .append("format", format).append("status", status)
        .append("createdAt", new Date());
    await(Rx.done(app.store().collection(Collections.TASKS).insertOne(task)));
    return id;
  }

  String outgoingTask(String type) {
    return task(type, "incoming_outgoing", "awaiting");
  }

  long entries(String taskId) {
    return await(Rx.first(app.store().collection(Collections.AUDIENCE).countDocuments(Filters.eq("task", taskId))));
  }

  List<Document> entryDocuments(String taskId) {
    return await(Rx.list(app.store().collection(Collections.AUDIENCE).find(Filters.eq("task", taskId))
        .sort(Sorts.ascending("seq"))));
  }

  long pending(String taskId) {
    Document progress = await(Rx.first(app.store().collection(Collections.TASK_PROGRESS).find(Filters.eq("_id", taskId))));
    return progress == null ? 0 : TaskCounters.of(progress, TargetState.PENDING);
  }

  /** Marks every entry of the task whose address is listed as {@code state}. */
  void setState(String taskId, List<String> addresses, TargetState state) {
    await(Rx.done(app.store().collection(Collections.AUDIENCE).updateMany(
        Filters.and(Filters.eq("task", taskId), Filters.in("address", addresses)),
        new Document("$set", new Document("state", state.wire())))));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
