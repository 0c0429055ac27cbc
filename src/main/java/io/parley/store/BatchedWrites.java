package io.parley.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-document writes to one collection, sent many to a command: a write goes out at once when none
 * is under way, otherwise with every write asked for meanwhile, as one unordered bulk write, as soon as the
 * one under way is answered. Under load that turns a store command per write into a command per round
 * trip, with no waiting added when the store is idle. Each write still succeeds or fails on its own: a
 * duplicate key is answered {@code false} for that write alone.
 *
 * <p>Safe to call from any thread; each caller's future completes on the Vert.x context it called from. A
 * write may carry an {@code applied} action: it runs once the store applied the write, on the thread that
 * got the answer and before any caller hears of it, in the order the writes went to the store, so a
 * process's picture of a document kept up to date by those actions follows the store's order of its writes.
 */
public final class BatchedWrites {
  static final int MAX_BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(BatchedWrites.class);

  private final MongoCollection<Document> collection;
  private List<Pending> waiting = new ArrayList<>(); // guarded by this
  private boolean writing; // guarded by this

  /** {@code conditional}: an {@link #updateIf}, whose upsert is how a filter that matched nothing shows. */
  private record Pending(WriteModel<Document> model, Promise<Boolean> promise, Context context, Runnable applied,
      boolean conditional) {}

  BatchedWrites(MongoCollection<Document> collection) {
    this.collection = collection;
  }

  /** Inserts {@code document}: {@code true} when it was new, {@code false} when its {@code _id} was taken. */
  public Future<Boolean> insert(Document document) {
    return add(new InsertOneModel<>(document), null, false);
  }

  /** Applies {@code update} to the one document {@code filter} finds, inserting it if none. */
  public Future<Void> upsert(Bson filter, Bson update) {
    return add(new UpdateOneModel<>(filter, update, new UpdateOptions().upsert(true)), null, false).mapEmpty();
  }

  /** Applies {@code update} to the one document {@code filter} finds; nothing when none matches. */
  public Future<Void> update(Bson filter, Bson update) {
    return update(filter, update, null);
  }

  /** As {@link #update(Bson, Bson)}; {@code applied} (null: none) runs once the store applied it, in write order. */
  public Future<Void> update(Bson filter, Bson update, Runnable applied) {
    return add(new UpdateOneModel<>(filter, update), applied, false).mapEmpty();
  }

  /**
   * Applies {@code update} to the document {@code filter} finds, which names an existing document's
   * {@code _id} with further conditions: {@code true} when it was applied (and {@code applied}, if not null,
   * ran), {@code false} when the document did not meet them. A bulk write says how many of its updates matched,
   * not which, so the write is an upsert: one that matches nothing inserts a document under the same
   * {@code _id}, which the store refuses for that write alone as a duplicate key. A filter whose {@code _id}
   * names no document at all does insert one (taken from the filter and {@code update}); it is removed again
   * at once, and {@code false} is the answer. The conditions must not be equalities on the unique fields alone
   * (MongoDB would try such an upsert again rather than refuse it).
   */
  public Future<Boolean> updateIf(Bson filter, Bson update, Runnable applied) {
    return add(new UpdateOneModel<>(filter, update, new UpdateOptions().upsert(true)), applied, true);
  }

  private Future<Boolean> add(WriteModel<Document> model, Runnable applied, boolean conditional) {
    Pending pending = new Pending(model, Promise.promise(), Vertx.currentContext(), applied, conditional);
    List<Pending> batch;
    synchronized (this) {
      waiting.add(pending);
      if (writing) return pending.promise().future();
      writing = true;
      batch = take();
    }
    write(batch);
    return pending.promise().future();
  }

  /** The next batch, or null (and no write under way) when nothing waits. */
  private List<Pending> take() {
    if (waiting.isEmpty()) {
      writing = false;
      return null;
    }
    List<Pending> batch;
    if (waiting.size() <= MAX_BATCH) {
      batch = waiting;
      waiting = new ArrayList<>();
    } else {
      batch = new ArrayList<>(waiting.subList(0, MAX_BATCH));
      waiting = new ArrayList<>(waiting.subList(MAX_BATCH, waiting.size()));
    }
    return batch;
  }

  private void write(List<Pending> batch) {
    List<WriteModel<Document>> models = new ArrayList<>(batch.size());
    for (Pending p : batch) models.add(p.model());
    collection.bulkWrite(models, new BulkWriteOptions().ordered(false)).subscribe(new Subscriber<BulkWriteResult>() {
      private boolean finished;

      @Override
      public void onSubscribe(Subscription s) {
        s.request(1);
      }

      @Override
      public void onNext(BulkWriteResult result) {
        finish(result, null);
      }

      @Override
      public void onError(Throwable error) {
        finish(null, error);
      }

      @Override
      public void onComplete() {
        finish(null, null);
      }

      private void finish(BulkWriteResult result, Throwable error) {
        if (finished) return;
        finished = true;
        answer(batch, result, error);
        List<Pending> next;
        synchronized (BatchedWrites.this) {
          next = take();
        }
        if (next != null) write(next);
      }
    });
  }

  /**
   * Runs the {@code applied} actions of the writes the store applied, in order, then completes every write of
   * {@code batch} on each caller's context, one hop per context.
   */
  private void answer(List<Pending> batch, BulkWriteResult result, Throwable error) {
    Map<Integer, BulkWriteError> refused = new HashMap<>();
    ServerAddress server = error instanceof MongoBulkWriteException bulk ? bulk.getServerAddress() : null;
    if (error instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() == null) {
      for (BulkWriteError e : bulk.getWriteErrors()) refused.put(e.getIndex(), e);
      result = bulk.getWriteResult();
      error = null;
    }
    Map<Integer, Object> upserted = new HashMap<>();
    if (result != null && result.wasAcknowledged()) {
      for (BulkWriteUpsert u : result.getUpserts()) upserted.put(u.getIndex(), u.getId());
    }
    Set<Integer> missing = new HashSet<>(); // updateIf writes whose _id named no document: what they inserted goes
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      if (p.conditional() && upserted.containsKey(i)) {
        missing.add(i);
        Rx.done(collection.deleteOne(Filters.eq("_id", upserted.get(i))))
            .onFailure(err -> log.warn("A document a conditional update inserted was not removed", err));
      } else if (error == null && !refused.containsKey(i) && p.applied() != null) {
        try {
          p.applied().run();
        } catch (RuntimeException e) {
          log.error("An action after a write failed", e);
        }
      }
    }
    Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();
    List<Runnable> here = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      BulkWriteError refusal = refused.get(i);
      Throwable failure = error;
      Runnable done;
      if (failure != null) {
        done = () -> p.promise().tryFail(failure);
      } else if (missing.contains(i)) {
        done = () -> p.promise().tryComplete(false);
      } else if (refusal == null) {
        done = () -> p.promise().tryComplete(true);
      } else if (ErrorCategory.fromErrorCode(refusal.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        done = () -> p.promise().tryComplete(false);
      } else {
        MongoWriteException own = new MongoWriteException(refusal, server, Set.of());
        done = () -> p.promise().tryFail(own);
      }
      if (p.context() == null) here.add(done);
      else byContext.computeIfAbsent(p.context(), c -> new ArrayList<>()).add(done);
    }
    here.forEach(Runnable::run);
    byContext.forEach((context, all) -> context.runOnContext(v -> all.forEach(Runnable::run)));
  }
}
