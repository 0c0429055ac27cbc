package io.parley.task;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What moves while a task runs, kept in its own small document ({@code task_progress}, keyed by the task's
 * id): the audience numbering ({@code audienceSeq}), the dispatch cursor, the per-state counters
 * ({@code counts}), the dialogue statistics ({@code stats}) and the manager turn. A task on a thousand
 * channels has a large settings document; every dialogue moves its counters twice, and each such write
 * rewrites the document it touches, so they touch this one. A missing progress document means nothing has
 * moved yet: readers see zeros, and counter writes create it.
 */
public final class TaskProgress {
  /** The fields kept here, under the names readers of a task document know them by. */
  static final List<String> FIELDS = List.of("audienceSeq", "cursor", "counts", "stats", "managerTurn");

  private final MongoCollection<Document> progress;
  private final MongoCollection<Document> tasks;

  public TaskProgress(Store store) {
    this.progress = store.collection(Collections.TASK_PROGRESS);
    this.tasks = store.collection(Collections.TASKS);
  }

  /** Applies {@code update} (increments, {@code $min}/{@code $max} of the cursor) to the task's progress. */
  public Future<Void> update(String taskId, Bson update) {
    return Rx.done(progress.updateOne(Filters.eq("_id", taskId), update, new UpdateOptions().upsert(true)));
  }

  /** Applies {@code update} and answers the progress as it was {@code before} or after, projected. */
  public Future<Document> updateAndGet(String taskId, Bson update, ReturnDocument returned, Bson projection) {
    return Rx.first(progress.findOneAndUpdate(Filters.eq("_id", taskId), update,
        new FindOneAndUpdateOptions().upsert(true).returnDocument(returned).projection(projection)));
  }

  /**
   * Applies {@code update} only if the task's progress exists (it does once the task has an audience):
   * the progress after the update, projected, or null.
   */
  public Future<Document> updateExisting(String taskId, Bson update, Bson projection) {
    return Rx.first(progress.findOneAndUpdate(Filters.eq("_id", taskId), update,
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(projection)));
  }

  /** The task document with its progress fields set on it, as if they were kept there; null stays null. */
  public Future<Document> attach(Document task) {
    if (task == null) return Future.succeededFuture(null);
    return Rx.first(progress.find(Filters.eq("_id", task.get("_id"))).limit(1)).map(found -> merged(task, found));
  }

  /** Each task with its progress, in one read of the progress collection. */
  public Future<List<Document>> attach(List<Document> list) {
    if (list.isEmpty()) return Future.succeededFuture(list);
    List<Object> ids = list.stream().map(t -> t.get("_id")).toList();
    return Rx.list(progress.find(Filters.in("_id", ids))).map(found -> {
      Map<Object, Document> byId = new HashMap<>();
      found.forEach(p -> byId.put(p.get("_id"), p));
      List<Document> out = new ArrayList<>(list.size());
      for (Document task : list) out.add(merged(task, byId.get(task.get("_id"))));
      return out;
    });
  }

  public Future<Void> delete(String taskId) {
    return Rx.done(progress.deleteOne(Filters.eq("_id", taskId)));
  }

  /**
   * Moves progress that earlier builds kept on task documents into progress documents: each is copied
   * (unless a progress document exists already), then removed from the task. Safe to repeat after an
   * interruption; meant to run at start-up, before anything dispatches. Answers how many tasks it moved.
   */
  public Future<Integer> migrate() {
    return Rx.list(tasks.find(Filters.or(FIELDS.stream().map(Filters::exists).toList()))
            .projection(Projections.include(FIELDS)))
        .compose(found -> {
          Future<Integer> done = Future.succeededFuture(0);
          for (Document task : found) done = done.compose(n -> moveOut(task).map(n + 1));
          return done;
        });
  }

  private Future<Void> moveOut(Document task) {
    Document doc = new Document("_id", task.get("_id"));
    for (String field : FIELDS) {
      if (task.containsKey(field)) doc.append(field, task.get(field));
    }
    return Rx.done(progress.insertOne(doc))
        .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture() : Future.failedFuture(err))
        .compose(v -> Rx.done(tasks.updateOne(Filters.eq("_id", task.get("_id")),
            Updates.combine(FIELDS.stream().map(Updates::unset).toList()))));
  }

  private static Document merged(Document task, Document found) {
    Document out = new Document(task);
    for (String field : FIELDS) out.remove(field);
    if (found != null) {
      for (String field : FIELDS) {
        if (found.containsKey(field)) out.append(field, found.get(field));
      }
    }
    return out;
  }
}
