package io.parley.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Single-document writes to one collection, sent many to a command: a write goes out at once when none
 * is under way, otherwise with every write asked for meanwhile, as one unordered bulk write, as soon as the
 * one under way is answered. Under load that turns a store command per write into a command per round
 * trip, with no waiting added when the store is idle. Each write still succeeds or fails on its own: a
 * duplicate key is answered {@code false} for that write alone.
 *
 * <p>Safe to call from any thread; each caller's future completes on the Vert.x context it called from.
 */
public final class BatchedWrites {
  static final int MAX_BATCH = 500;

  private final MongoCollection<Document> collection;
  private List<Pending> waiting = new ArrayList<>(); // guarded by this
  private boolean writing; // guarded by this

  private record Pending(WriteModel<Document> model, Promise<Boolean> promise, Context context) {}

  BatchedWrites(MongoCollection<Document> collection) {
    this.collection = collection;
  }

  /** Inserts {@code document}: {@code true} when it was new, {@code false} when its {@code _id} was taken. */
  public Future<Boolean> insert(Document document) {
    return add(new InsertOneModel<>(document));
  }

  /** Applies {@code update} to the one document {@code filter} finds, inserting it if none. */
  public Future<Void> upsert(Bson filter, Bson update) {
    return add(new UpdateOneModel<>(filter, update, new UpdateOptions().upsert(true))).mapEmpty();
  }

  /** Applies {@code update} to the one document {@code filter} finds; nothing when none matches. */
  public Future<Void> update(Bson filter, Bson update) {
    return add(new UpdateOneModel<>(filter, update)).mapEmpty();
  }

  private Future<Boolean> add(WriteModel<Document> model) {
    Pending pending = new Pending(model, Promise.promise(), Vertx.currentContext());
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
        finish(null);
      }

      @Override
      public void onError(Throwable error) {
        finish(error);
      }

      @Override
      public void onComplete() {
        finish(null);
      }

      private void finish(Throwable error) {
        if (finished) return;
        finished = true;
        answer(batch, error);
        List<Pending> next;
        synchronized (BatchedWrites.this) {
          next = take();
        }
        if (next != null) write(next);
      }
    });
  }

  /** Completes every write of {@code batch}, on each caller's context, one hop per context. */
  private static void answer(List<Pending> batch, Throwable error) {
    Map<Integer, BulkWriteError> refused = new HashMap<>();
    ServerAddress server = error instanceof MongoBulkWriteException bulk ? bulk.getServerAddress() : null;
    if (error instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() == null) {
      for (BulkWriteError e : bulk.getWriteErrors()) refused.put(e.getIndex(), e);
      error = null;
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
