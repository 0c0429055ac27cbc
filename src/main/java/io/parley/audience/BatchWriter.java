package io.parley.audience;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.App;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.task.TaskCounters;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Writes one task's batches: reserves a range of {@code seq} on the task, inserts the entries unordered
 * (an address already in the task is a duplicate-key error on the {@code (task, address)} index, counted,
 * not a failure), then adds the new
 * entries to {@code counts.pending}. Remembers what it wrote so a failed upload can be taken back.
 */
public final class BatchWriter {
  /** What one batch added, and how many of its lines were already known. */
  record Written(long inserted, long duplicates) {}

  private record SeqRange(long first, long last) {}

  private final App app;
  private final String taskId;
  private final MongoCollection<Document> audience;
  private final MongoCollection<Document> tasks;
  private final TaskCounters counters;
  private final List<SeqRange> reserved = new ArrayList<>();
  private long inserted;

  BatchWriter(App app, String taskId) {
    this.app = app;
    this.taskId = taskId;
    this.audience = app.store().collection(Collections.AUDIENCE);
    this.tasks = app.store().collection(Collections.TASKS);
    this.counters = new TaskCounters(app.store());
  }

  Future<Written> write(Batch batch) {
    if (batch.isEmpty()) return Future.succeededFuture(new Written(0, batch.duplicates()));
    return reserve(batch.size())
        .compose(first -> insert(documents(batch, first)))
        .compose(added -> {
          inserted += added;
          Future<Void> counted = counters.add(taskId, Map.of(TargetState.PENDING, added));
          return counted.map(v -> new Written(added, batch.size() - added + batch.duplicates()));
        });
  }

  /** The first of {@code n} fresh sequence numbers, by one atomic {@code $inc} on the task. */
  private Future<Long> reserve(int n) {
    return Rx.first(tasks.findOneAndUpdate(Filters.eq("_id", taskId), Updates.inc("audienceSeq", (long) n),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(Projections.include("audienceSeq"))))
        .map(task -> {
          if (task == null) throw ApiError.notFound("task", taskId);
          long last = ((Number) task.get("audienceSeq")).longValue();
          SeqRange range = new SeqRange(last - n + 1, last);
          reserved.add(range);
          return range.first();
        });
  }

  private List<Document> documents(Batch batch, long firstSeq) {
    List<Document> docs = new ArrayList<>(batch.size());
    Date now = Date.from(app.clock().instant());
    long seq = firstSeq;
    for (Batch.Entry e : batch.entries()) {
      docs.add(new Document("_id", entryId(taskId, seq))
          .append("task", taskId)
          .append("address", e.address())
          .append("kind", e.kind().wire())
          .append("fields", new Document(e.fields()))
          .append("state", TargetState.PENDING.wire())
          .append("reason", null)
          .append("line", e.line())
          .append("seq", seq++)
          .append("addedAt", now));
    }
    return docs;
  }

  /**
   * An entry's id: its task and its number in the task. Claims address entries by this id alone, the
   * only lookup the embedded store answers from an index; an address already in the task is refused by
   * the unique {@code (task, address)} index instead.
   */
  public static String entryId(String taskId, long seq) {
    return taskId + ":" + seq;
  }

  /** Inserts {@code docs} unordered; answers how many were new. */
  private Future<Long> insert(List<Document> docs) {
    return Rx.done(audience.insertMany(docs, new InsertManyOptions().ordered(false)))
        .map(v -> (long) docs.size())
        .recover(err -> {
          // The embedded store's insertedCount also counts the refused documents, so the new ones are
          // what is left after the duplicate-key errors, which is right for a real MongoDB too.
          if (!(err instanceof MongoBulkWriteException bulk) || !DuplicateKey.is(bulk)) {
            return Future.failedFuture(err);
          }
          return Future.succeededFuture((long) (docs.size() - bulk.getWriteErrors().size()));
        });
  }

  /** Removes every entry this writer added and takes them off {@code counts.pending}. */
  Future<Void> rollback() {
    if (reserved.isEmpty()) return Future.succeededFuture();
    List<Bson> ranges = new ArrayList<>();
    for (SeqRange r : reserved) ranges.add(Filters.and(Filters.gte("seq", r.first()), Filters.lte("seq", r.last())));
    // Only entries nobody has claimed yet: in a running task a dispatcher may already be sending some.
    Bson filter = Filters.and(Filters.eq("task", taskId), Filters.or(ranges),
        Filters.eq("state", TargetState.PENDING.wire()), Filters.exists("claims", false));
    reserved.clear();
    inserted = 0;
    return Rx.first(audience.deleteMany(filter))
        .compose(r -> counters.add(taskId, Map.of(TargetState.PENDING, -r.getDeletedCount())));
  }
}
