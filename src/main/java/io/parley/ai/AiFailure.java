package io.parley.ai;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A call to the AI provider that gave no reply. {@code retryable} for timeouts, 429 and 5xx;
 * {@code retryAfter} is the provider's own wish (a 429's Retry-After) or null; {@code cost} what the provider
 * charged for it all the same (an answer with no text still reports its usage).
 */
public final class AiFailure extends RuntimeException {
  private final boolean retryable;
  private final transient Duration retryAfter;
  private final transient BigDecimal cost;

  public AiFailure(String reason, boolean retryable, Duration retryAfter) {
    this(reason, retryable, retryAfter, BigDecimal.ZERO);
  }

  public AiFailure(String reason, boolean retryable, Duration retryAfter, BigDecimal cost) {
    super(reason, null, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.cost = cost;
  }

  public BigDecimal cost() {
    return cost;
  }

  public boolean retryable() {
    return retryable;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
