package io.parley.ai;

import java.time.Duration;

/**
 * A call to the AI provider that gave no reply. {@code retryable} for timeouts, 429 and 5xx;
 * {@code retryAfter} is the provider's own wish (a 429's Retry-After) or null.
 */
public final class AiFailure extends RuntimeException {
  private final boolean retryable;
  private final transient Duration retryAfter;

  public AiFailure(String reason, boolean retryable, Duration retryAfter) {
    super(reason, null, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public boolean retryable() {
    return retryable;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
