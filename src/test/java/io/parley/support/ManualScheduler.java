package io.parley.support;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link io.parley.dispatch.Scheduler} on a {@link MutableClock}: nothing runs until the test moves time, and then every
 * action due runs on the context that scheduled it, in time order. Lets hours, days and pauses be tested
 * in milliseconds.
 */
public final class ManualScheduler extends StepScheduler {
  public ManualScheduler(MutableClock clock) {
    super(clock);
  }

  /** Moves the clock to {@code t}, running what falls due on the way, each at its own time. */
  public void advanceTo(Instant t) {
    for (Entry due; (due = take(t)) != null; ) {
      if (due.at().isAfter(clock.instant())) clock.set(due.at());
      run(due);
      awaitQuiet();
    }
    if (t.isAfter(clock.instant())) clock.set(t);
  }

  /** Moves the clock by {@code d} like {@link #advanceTo}, waiting for each reaction. */
  @Override
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
