package io.parley.task;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Outreach tasks, each answered with its progress ({@link TaskProgress}). Status changes are
 * compare-and-set on {@code status} by {@code _id}, so two marketers (or a marketer and the engine) racing
 * on one task can never both win an illegal transition.
 */
public final class TaskStore extends DocumentStore {
  private final DocumentStore audience;
  private final DocumentStore pages;
  private final TaskProgress progress;

  public TaskStore(Store store) {
    super(store, Collections.TASKS);
    this.audience = new DocumentStore(store, Collections.AUDIENCE);
    this.pages = new DocumentStore(store, Collections.AUDIENCE_PAGES);
    this.progress = new TaskProgress(store);
  }

  /** The task with its progress, or null. */
  @Override
  public Future<Document> find(String id) {
    return super.find(id).compose(progress::attach);
  }

  public Future<List<Document>> list(TaskStatus status, String type) {
    List<Bson> filters = new ArrayList<>();
    if (status != null) filters.add(Filters.eq("status", status.wire()));
    if (type != null) filters.add(Filters.eq("type", type));
    Bson filter = filters.isEmpty() ? Filters.empty() : Filters.and(filters);
    return Rx.list(collection().find(filter).sort(Sorts.descending("createdAt"))).compose(progress::attach);
  }

  /** Moves the task to {@code to} if its status is one of {@code from}; the updated task, or null. */
  public Future<Document> transition(String id, Set<TaskStatus> from, TaskStatus to, Date now) {
    List<String> allowed = from.stream().map(TaskStatus::wire).toList();
    List<Bson> sets = new ArrayList<>(List.of(Updates.set("status", to.wire()), Updates.set("updatedAt", now)));
    if (to == TaskStatus.IN_PROGRESS) sets.add(Updates.min("startedAt", now));
    if (to.finished()) sets.add(Updates.set("finishedAt", now));
    return update(id, Filters.in("status", allowed), Updates.combine(sets)).compose(progress::attach);
  }

  /** Replaces the editable settings unless the task finished meanwhile; the updated task, or null. */
  public Future<Document> updateSettings(String id, Document settings, Date now) {
    List<String> open = List.of(TaskStatus.AWAITING.wire(), TaskStatus.IN_PROGRESS.wire(), TaskStatus.PAUSED.wire());
    return update(id, Filters.in("status", open), new Document("$set", new Document(settings).append("updatedAt", now)))
        .compose(progress::attach);
  }

  /**
   * Deletes a finished task, then its audience (entries and pages) and its progress. Answers whether the task was deleted; an
   * interrupted later step leaves only unreachable documents behind, which a repeated delete cannot see.
   */
  public Future<Boolean> deleteFinished(String id) {
    Bson finished = Filters.and(Filters.eq("_id", id),
        Filters.in("status", TaskStatus.STOPPED.wire(), TaskStatus.COMPLETED.wire()));
    return Rx.first(collection().deleteOne(finished)).compose(r -> {
      if (r.getDeletedCount() == 0) return Future.succeededFuture(false);
      return Rx.done(audience.collection().deleteMany(Filters.eq("task", id)))
          .compose(v -> Rx.done(pages.collection().deleteMany(Filters.eq("task", id))))
          .compose(v -> progress.delete(id)).map(true);
    });
  }
}
