package io.parley.audience;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.task.TaskCounters;
import io.parley.task.TaskProgress;
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
  private final TaskProgress progress;
  private final TaskCounters counters;
  private final AudiencePages pages;
  private final List<SeqRange> reserved = new ArrayList<>();
  private long inserted;

  BatchWriter(App app, String taskId) {
    this.app = app;
    this.taskId = taskId;
    this.audience = app.store().collection(Collections.AUDIENCE);
    this.progress = new TaskProgress(app.store());
    this.counters = new TaskCounters(app.store());
    this.pages = new AudiencePages(app.store());
  }

  Future<Written> write(Batch batch) {
    if (batch.isEmpty()) return Future.succeededFuture(new Written(0, batch.duplicates()));
    return reserve()
        .compose(first -> writeEntries(documents(batch, first), first))
        .compose(added -> {
          inserted += added;
          Future<Void> counted = counters.add(taskId, Map.of(TargetState.PENDING, added));
          return counted.map(v -> new Written(added, batch.size() - added + batch.duplicates()));
        });
  }

  /** Inserts a batch's entries, then its page; answers how many entries were new. */
  private Future<Long> writeEntries(List<Document> docs, long firstSeq) {
    return insert(docs).compose(refused -> {
      long added = docs.size() - refused.size();
      return pages.write(taskId, firstSeq, docs, refused).map(v -> added);
    });
  }

  /** The first number of a fresh page of sequence numbers, by one atomic {@code $inc} on the task's progress. */
  private Future<Long> reserve() {
    int n = AudiencePages.SIZE;
    return progress.updateAndGet(taskId, Updates.inc("audienceSeq", (long) n), ReturnDocument.AFTER,
            Projections.include("audienceSeq"))
        .map(after -> {
          long last = ((Number) after.get("audienceSeq")).longValue();
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
      docs.add(new Document("_id", entryId(taskId, e.address()))
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
   * An entry's id: its task and its address, so a repeated address collides on the one index every store
   * keeps; claims (by {@code _id} alone, the only lookup the embedded store serves from an index) find an
   * entry through its page ({@link AudiencePages}).
   */
  public static String entryId(String taskId, String address) {
    return taskId + ":" + address;
  }

  /** Inserts {@code docs} unordered; answers the positions refused as duplicates. */
  private Future<java.util.Set<Integer>> insert(List<Document> docs) {
    return Rx.done(audience.insertMany(docs, new InsertManyOptions().ordered(false)))
        .map(v -> java.util.Set.<Integer>of())
        .recover(err -> {
          // Counted from the write errors: the embedded store's insertedCount also counts refused documents.
          if (!(err instanceof MongoBulkWriteException bulk) || !DuplicateKey.is(bulk)) {
            return Future.failedFuture(err);
          }
          java.util.Set<Integer> refused = new java.util.HashSet<>();
          bulk.getWriteErrors().forEach(e -> refused.add(e.getIndex()));
          return Future.succeededFuture(refused);
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
    List<Long> firsts = reserved.stream().map(SeqRange::first).toList();
    reserved.clear();
    inserted = 0;
    return Rx.first(audience.deleteMany(filter))
        .compose(r -> counters.add(taskId, Map.of(TargetState.PENDING, -r.getDeletedCount())))
        .compose(v -> pages.forget(taskId, firsts));
  }
}
