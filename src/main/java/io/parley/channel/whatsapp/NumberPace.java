package io.parley.channel.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How fast one WhatsApp number may send from this process: at most {@code perSecond} requests in any
 * second, and growing waits after Meta said "too fast" or failed. Shared by every {@code WhatsAppChannel}
 * instance of the number (see {@link WhatsAppRuntime}), so recreated clients keep the pace.
 */
final class NumberPace {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration THROTTLE_FIRST = Duration.ofSeconds(2);
  private static final Duration THROTTLE_MAX = Duration.ofSeconds(60);
  private static final Duration FAILURE_FIRST = Duration.ofSeconds(5);
  private static final Duration FAILURE_MAX = Duration.ofMinutes(5);

  private final int perSecond;
  private final Deque<Instant> recent = new ArrayDeque<>();
  private int throttles;
  private int failures;

  NumberPace(int perSecond) {
    this.perSecond = perSecond;
  }

  /** Takes a slot for one request now: zero when taken, else how long until one frees (nothing taken). */
  synchronized Duration take(Instant now) {
    Instant windowStart = now.minus(SECOND);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) recent.pollFirst();
    if (recent.size() >= perSecond) return Duration.between(windowStart, recent.peekFirst());
    recent.addLast(now);
    return Duration.ZERO;
  }

  /** Meta answered "throughput exceeded": 2, 4, 8 ... seconds, at most a minute, until a send succeeds. */
  synchronized Duration throttled() {
    return grow(THROTTLE_FIRST, THROTTLE_MAX, throttles++);
  }

  /** Meta failed or did not answer: 5, 10, 20 ... seconds, at most five minutes, until a send succeeds. */
  synchronized Duration failed() {
    return grow(FAILURE_FIRST, FAILURE_MAX, failures++);
  }

  synchronized void succeeded() {
    throttles = 0;
    failures = 0;
  }

  private static Duration grow(Duration first, Duration max, int times) {
    Duration d = first.multipliedBy(1L << Math.min(times, 16));
    return d.compareTo(max) > 0 ? max : d;
  }
}
