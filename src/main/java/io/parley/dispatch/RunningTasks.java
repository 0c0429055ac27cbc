package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskFormat;
import io.parley.task.TaskStatus;
import io.parley.task.WorkingHours;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import org.bson.Document;

/** Reads the tasks a channel sends for: running, outgoing, listing the channel. */
final class RunningTasks {
  private final MongoCollection<Document> tasks;

  RunningTasks(Store store) {
    this.tasks = store.collection(Collections.TASKS);
  }

  Future<List<Document>> forChannel(String channelId) {
    return Rx.list(tasks.find(Filters.and(Filters.eq("channels", channelId),
            Filters.eq("status", TaskStatus.IN_PROGRESS.wire()), Filters.eq("format", TaskFormat.INCOMING_OUTGOING.wire())))
        .projection(Projections.include("status", "workingHours", "dailyLimitPerChannel", "pauseBetweenDialogues")));
  }


  static boolean running(Document task) {
    return task != null && TaskStatus.IN_PROGRESS.wire().equals(task.getString("status"));
  }

  static TaskPlan plan(Document task) {
    Document hours = task.get("workingHours", Document.class);
    WorkingHours wh = hours == null ? WorkingHours.ALL_DAY : new WorkingHours(hours.getInteger("from"), hours.getInteger("to"));
    return new TaskPlan(task.getString("_id"), wh, task.getInteger("dailyLimitPerChannel", 0),
        Duration.ofSeconds(task.getInteger("pauseBetweenDialogues", 3)));
  }
}
