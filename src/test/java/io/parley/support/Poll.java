package io.parley.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for something that happens asynchronously: asks again every few milliseconds until a deadline. */
public final class Poll {
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  private Poll() {}

  /**
   * Asks {@code probe} until {@code done} accepts its answer and returns that answer; fails with the last
   * answer seen once {@code within} has passed.
   */
  public static <T> T until(String what, Duration within, Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up after " + within + " waiting for " + what + "; last seen: " + last);
      }
      LockSupport.parkNanos(PAUSE_NANOS);
      last = probe.get();
    }
    return last;
  }
}
