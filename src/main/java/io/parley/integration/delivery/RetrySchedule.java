package io.parley.integration.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed callback again: the Standard Webhooks schedule (immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about 27.5 hours), each wait stretched by up to
 * a tenth at random so that receivers recovering from an outage are not hit by every retry at once. A
 * receiver's {@code Retry-After} lengthens the wait, never shortens it.
 */
final class RetrySchedule {
  static final List<Duration> WAITS = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
  /** Attempts of one delivery before it is given up: the first and seven retries. */
  static final int ATTEMPTS = WAITS.size();
  /** The longest Retry-After honoured; a receiver asking for more is tried again after this. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
  private static final double JITTER = 0.1;

  private final RandomGenerator random;

  RetrySchedule(RandomGenerator random) {
    this.random = random;
  }

  /**
   * The wait after {@code attemptsMade} attempts failed (1 after the first), or empty when that was the
   * last attempt.
   */
  Optional<Duration> waitAfter(int attemptsMade, Optional<Duration> retryAfter) {
    if (attemptsMade >= ATTEMPTS) return Optional.empty();
    Duration base = WAITS.get(attemptsMade);
    long jitter = (long) (base.toMillis() * JITTER * random.nextDouble());
    Duration wait = base.plusMillis(jitter);
    Duration asked = retryAfter.map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d).orElse(Duration.ZERO);
    return Optional.of(asked.compareTo(wait) > 0 ? asked : wait);
  }
}
