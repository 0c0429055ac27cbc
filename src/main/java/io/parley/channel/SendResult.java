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

  /**
   * Not delivered but may be later: try again after {@code delay} (the platform's wish or a backoff). The
   * whole channel waits, unless {@code recipientOnly} says only this recipient is over a limit (WhatsApp's
   * pair rate limit, Telegram's one message a second per chat).
   */
  record RetryLater(Duration delay, String reason, boolean recipientOnly) implements SendResult {
    public RetryLater {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) delay = Duration.ZERO;
    }

    public RetryLater(Duration delay, String reason) {
      this(delay, reason, false);
    }
  }

  /** Refused for good: retrying the same message cannot succeed. */
  record Failed(String reason) implements SendResult {}

  /** The recipient cannot be reached on this channel (blocked the bot, unknown number, ...). */
  record Unreachable(String reason) implements SendResult {}

  /**
   * The platform refused the channel's credentials (a revoked bot token, an expired access token): nothing
   * more can be sent on the channel until the marketer fixes it, so the dispatcher marks the channel
   * {@code auth_failed} and puts the message's target back.
   */
  record AuthFailed(String reason) implements SendResult {}

  /**
   * Not sent because a platform rule forbids it now and a person must decide (WhatsApp free text outside
   * the 24-hour window): the caller shows the reason rather than retrying.
   */
  record Held(String reason) implements SendResult {}
}
