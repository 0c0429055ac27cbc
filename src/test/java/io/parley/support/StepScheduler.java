package io.parley.support;

import io.parley.dispatch.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} on a {@link MutableClock} that runs nothing on its own: a test either steps to the
 * earliest wake-up ({@link #runNext()}, moving the clock there) or moves the clock and runs what fell due
 * ({@link #advance}). Actions run on the context that scheduled them; tests then poll for the effects.
 * It suits code that may have nothing scheduled at all; {@link ManualScheduler} adds waiting for the code
 * under test to react after each step.
 */
public class StepScheduler implements Scheduler {
  /** One scheduled action, with the context that scheduled it and its order among equal times. */
  protected record Entry(Instant at, Runnable action, Context context, long seq) {}

  protected final MutableClock clock;
  private final List<Entry> entries = new ArrayList<>();
  private long seq;

  public StepScheduler(MutableClock clock) {
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

  /** The earliest wake-up, or null when nothing is scheduled. */
  public synchronized Instant next() {
    return entries.stream().map(Entry::at).min(Comparator.naturalOrder()).orElse(null);
  }

  public synchronized int size() {
    return entries.size();
  }

  /** Runs the earliest wake-up (moving the clock forward to it); answers its time. */
  public Instant runNext() {
    Entry due = take(null);
    if (due == null) throw new AssertionError("nothing is scheduled");
    if (due.at().isAfter(clock.instant())) clock.set(due.at());
    run(due);
    return due.at();
  }

  /** Moves the clock by {@code d} and runs every action due by then, in time order. */
  public void advance(Duration d) {
    clock.advance(d);
    for (Entry due; (due = take(clock.instant())) != null; ) run(due);
  }

  /** Removes and answers the earliest entry (due by {@code by}, unless null); null when there is none. */
  protected synchronized Entry take(Instant by) {
    Entry due = entries.stream().filter(e -> by == null || !e.at().isAfter(by))
        .min(Comparator.comparing(Entry::at).thenComparing(Entry::seq)).orElse(null);
    if (due != null) entries.remove(due);
    return due;
  }

  protected static void run(Entry e) {
    if (e.context() == null) e.action().run();
    else e.context().runOnContext(v -> e.action().run());
  }
}
