package io.parley.webhook;

/**
 * A webhook that failed Standard Webhooks verification, or a secret that cannot sign or verify at all.
 * The {@link Reason} is for code; the message is safe to show the sender (it never contains the secret).
 */
public final class WebhookRejected extends RuntimeException {
  /** Why a webhook was refused; callers map these to HTTP answers or configuration errors. */
  public enum Reason {
    MALFORMED_SECRET,
    MISSING_HEADER,
    BAD_TIMESTAMP,
    TOO_OLD,
    TOO_NEW,
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;

  public WebhookRejected(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
