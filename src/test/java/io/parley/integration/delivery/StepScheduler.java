package io.parley.integration.delivery;

import io.parley.dispatch.Scheduler;
import io.parley.support.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} the test steps through: nothing runs until {@link #runNext()}, which moves the clock
 * to the earliest wake-up and runs it on the context that asked for it. Retries a day apart run at once.
 */
final class StepScheduler implements Scheduler {
  private record Entry(Instant at, Runnable action, Context context, long seq) {}

  private final MutableClock clock;
  private final List<Entry> entries = new ArrayList<>();
  private long seq;

  StepScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable at(Instant when, Runnable action) {
    Entry e = new Entry(when, action, Vertx.currentContext(), seq++);
    entries.add(e);
    return () -> {
      synchronized (StepScheduler.this) {
        entries.remove(e);
      }
    };
  }

  synchronized Instant next() {
    return entries.stream().map(Entry::at).min(Comparator.naturalOrder()).orElse(null);
  }

  synchronized int size() {
    return entries.size();
  }

  /** Runs the earliest wake-up (moving the clock forward to it); answers its time. */
  Instant runNext() {
    Entry due;
    synchronized (this) {
      due = entries.stream().min(Comparator.comparing(Entry::at).thenComparing(Entry::seq))
          .orElseThrow(() -> new AssertionError("nothing is scheduled"));
      entries.remove(due);
    }
    if (due.at().isAfter(clock.instant())) clock.set(due.at());
    if (due.context() == null) due.action().run();
    else due.context().runOnContext(v -> due.action().run());
    return due.at();
  }
}
