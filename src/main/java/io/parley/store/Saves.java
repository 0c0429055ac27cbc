package io.parley.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Has the embedded store save what it has acknowledged, many askers to a save: one save at a time, and a
 * new one at most every {@link #INTERVAL_MILLIS} ms; whoever asks while one is under way waits for the next
 * (the one under way may have begun before the asker's writes). Each save writes every page changed since
 * the last one, so saves close together would write the same busy pages again and again; spaced out, an
 * asker waits at most two intervals, much as a MongoDB server's journal makes a write that asks for it wait
 * for its next flush.
 *
 * <p>A save runs on a thread of its own, beside the store's. As a command ({@code fsync}) it ran on one of
 * the store's network threads, which run every command of the connections they serve, and held those up
 * for as long as it took.
 *
 * <p>Safe to call from any thread; each caller's future completes on the Vert.x context it called from.
 */
final class Saves implements AutoCloseable {
  /** At 1,000 messages/s, saves 10 ms apart cost 15–30 % of the rate and wrote 5 MB/s (BENCHMARKS.md). */
  static final long INTERVAL_MILLIS = 25;

  private final Runnable commit;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parley-store-saves");
    t.setDaemon(true);
    return t;
  });
  private List<Asker> waiting = new ArrayList<>(); // guarded by this
  private boolean busy; // a save under way or about to start; guarded by this
  private long lastStart = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS); // guarded by this

  private record Asker(Promise<Void> promise, Context context) {}

  /** {@code commit} saves the store's changes, blocking; it is safe beside the store's own writes. */
  Saves(Runnable commit) {
    this.commit = commit;
  }

  Future<Void> save() {
    Asker asker = new Asker(Promise.promise(), Vertx.currentContext());
    synchronized (this) {
      waiting.add(asker);
      if (busy) return asker.promise().future();
      busy = true;
    }
    startWhenDue();
    return asker.promise().future();
  }

  /** Starts the next save on the saves' thread: at once, or when the interval since the last one has passed. */
  private void startWhenDue() {
    long wait;
    synchronized (this) {
      wait = lastStart + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS) - System.nanoTime();
    }
    try {
      timer.schedule(this::start, Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) { // the store is closing: nothing will be saved any more
      List<Asker> batch;
      synchronized (this) {
        batch = waiting;
        waiting = new ArrayList<>();
        busy = false;
      }
      answer(batch, new IllegalStateException("the store is closed"));
    }
  }

  /** Saves for everyone waiting now; then for whoever asked meanwhile, if anyone did. */
  private void start() {
    List<Asker> batch;
    synchronized (this) {
      batch = waiting;
      waiting = new ArrayList<>();
      lastStart = System.nanoTime();
    }
    Throwable failed = null;
    try {
      commit.run();
    } catch (Throwable e) { // whatever it was, the askers hear of it rather than wait for ever
      failed = e;
    }
    answer(batch, failed);
    synchronized (this) {
      if (waiting.isEmpty()) {
        busy = false;
        return;
      }
    }
    startWhenDue();
  }

  /** Completes every asker of {@code batch}, on each one's context, one hop per context. */
  private static void answer(List<Asker> batch, Throwable error) {
    Map<Context, List<Promise<Void>>> byContext = new IdentityHashMap<>();
    for (Asker a : batch) {
      if (a.context() == null) complete(a.promise(), error);
      else byContext.computeIfAbsent(a.context(), c -> new ArrayList<>()).add(a.promise());
    }
    byContext.forEach((context, all) -> context.runOnContext(v -> all.forEach(p -> complete(p, error))));
  }

  private static void complete(Promise<Void> promise, Throwable error) {
    if (error == null) promise.tryComplete();
    else promise.tryFail(error);
  }

  /**
   * Lets a save under way, and those already due, finish (not interrupted: an interrupted write closes the
   * store's file), waiting a few seconds at most; later askers are told the store is closed.
   */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
