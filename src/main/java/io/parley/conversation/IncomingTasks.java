package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskFormat;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.Date;
import org.bson.Document;

/**
 * The task that answers a contact who writes first on a channel: among the running tasks that list the
 * channel, an {@code incoming} task before an {@code incoming_outgoing} one (it exists for exactly these
 * contacts), then the one created first, then the smallest id — the same choice on every process.
 */
final class IncomingTasks {
  private static final Comparator<Document> PREFERENCE = Comparator
      .comparing((Document t) -> TaskFormat.INCOMING.wire().equals(t.getString("format")) ? 0 : 1)
      .thenComparing(t -> t.getDate("createdAt") == null ? new Date(0) : t.getDate("createdAt"))
      .thenComparing(t -> t.getString("_id"));

  private final MongoCollection<Document> tasks;

  IncomingTasks(Store store) {
    this.tasks = store.collection(Collections.TASKS);
  }

  /** The chosen task ({@code _id, format, managers, managerAssignment}), or null when none runs on the channel. */
  Future<Document> forChannel(String channelId) {
    return Rx.list(tasks.find(Filters.and(Filters.eq("channels", channelId), Filters.eq("status", TaskStatus.IN_PROGRESS.wire())))
            .projection(Projections.include("format", "createdAt", "managers", "managerAssignment")))
        .map(found -> found.stream().min(PREFERENCE).orElse(null));
  }
}
