package io.parley.conversation;

import io.parley.dispatch.Scheduler;
import io.parley.support.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} on a {@link MutableClock} for code that may have nothing scheduled at all (the
 * router is idle until a message comes): moving the clock runs what fell due, on the context that scheduled
 * it; tests then poll for the effects.
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

  synchronized int pending() {
    return entries.size();
  }

  /** Moves the clock by {@code d} and runs every action due by then, in time order. */
  void advance(Duration d) {
    clock.advance(d);
    while (true) {
      Entry due;
      synchronized (this) {
        due = entries.stream().filter(e -> !e.at().isAfter(clock.instant()))
            .min(Comparator.comparing(Entry::at).thenComparing(Entry::seq)).orElse(null);
        if (due != null) entries.remove(due);
      }
      if (due == null) return;
      Entry run = due;
      if (run.context() == null) run.action().run();
      else run.context().runOnContext(v -> run.action().run());
    }
  }
}
