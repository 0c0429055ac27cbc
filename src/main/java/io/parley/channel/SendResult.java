package io.parley.channel;

import java.time.Duration;
import java.util.Objects;

/** How one send attempt ended, in the terms the dispatcher acts on. */
public sealed interface SendResult {
  /** Delivered to the platform; the id is what the platform calls the message (for receipts and replies). */
  record Accepted(String platformMessageId) implements SendResult {
    public Accepted {
      Objects.requireNonNull(platformMessageId, "platformMessageId");
    }
  }

  /** Not delivered but may be later: try again after {@code delay} (the platform's wish or a backoff). */
  record RetryLater(Duration delay, String reason) implements SendResult {
    public RetryLater {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) delay = Duration.ZERO;
    }
  }

  /** Refused for good: retrying the same message cannot succeed. */
  record Failed(String reason) implements SendResult {}

  /** The recipient cannot be reached on this channel (blocked the bot, unknown number, ...). */
  record Unreachable(String reason) implements SendResult {}
}
