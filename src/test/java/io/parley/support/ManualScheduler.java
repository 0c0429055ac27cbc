package io.parley.support;

import io.parley.dispatch.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Scheduler} on a {@link MutableClock}: nothing runs until the test moves time, and then every
 * action due runs on the context that scheduled it, in time order. Lets hours, days and pauses be tested
 * in milliseconds.
 */
public final class ManualScheduler implements Scheduler {
  private record Entry(Instant at, Runnable action, Context context, long seq) {}

  private final MutableClock clock;
  private final List<Entry> entries = new ArrayList<>();
  private long seq;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable at(Instant when, Runnable action) {
    Entry e = new Entry(when, action, Vertx.currentContext(), seq++);
    entries.add(e);
    return () -> {
      synchronized (ManualScheduler.this) {
        entries.remove(e);
      }
    };
  }

  /** The earliest pending wake-up, or null. */
  public synchronized Instant next() {
    return entries.stream().map(Entry::at).min(Comparator.naturalOrder()).orElse(null);
  }

  /** Moves the clock to {@code t}, running what falls due on the way, each at its own time. */
  public void advanceTo(Instant t) {
    while (true) {
      Entry due;
      synchronized (this) {
        due = entries.stream().filter(e -> !e.at().isAfter(t))
            .min(Comparator.comparing(Entry::at).thenComparing(Entry::seq)).orElse(null);
        if (due != null) entries.remove(due);
      }
      if (due == null) break;
      if (due.at().isAfter(clock.instant())) clock.set(due.at());
      Entry run = due;
      if (run.context() == null) run.action().run();
      else run.context().runOnContext(v -> run.action().run());
      awaitQuiet();
    }
    if (t.isAfter(clock.instant())) clock.set(t);
  }

  public void advance(Duration d) {
    advanceTo(clock.instant().plus(d));
  }

  /**
   * Waits (real time, bounded) until everything scheduled is in the future: the code under test has
   * finished reacting and is sleeping until a later instant.
   */
  public void awaitQuiet() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int stable = 0;
    Instant last = null;
    while (System.nanoTime() < deadline) {
      Instant next = next();
      boolean sleeping = next != null && next.isAfter(clock.instant());
      stable = sleeping && next.equals(last) ? stable + 1 : 0;
      last = next;
      if (stable >= 5) return;
      LockSupport.parkNanos(200_000); // polling with a deadline: the reaction runs on other threads
    }
    throw new AssertionError("the scheduler never went quiet; next wake-up " + next() + ", clock " + clock.instant());
  }
}
