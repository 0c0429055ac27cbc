package io.parley.integration.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * One try of one delivery, as its log keeps it: when, the receiver's HTTP status (none when it was not
 * reached), how long it took, what went wrong and the start of the receiver's answer.
 */
record Attempt(Instant at, Integer status, long durationMs, String error, String response,
    Optional<Duration> retryAfter) {
  static final int MAX_EXCERPT = 500;

  boolean delivered() {
    return status != null && status >= 200 && status < 300;
  }

  /** {@code 410 Gone}: the receiver wants no more callbacks at this URL. */
  boolean gone() {
    return status != null && status == 410;
  }

  Document toDocument() {
    return new Document("at", Date.from(at)).append("status", status).append("durationMs", durationMs)
        .append("error", error).append("response", response);
  }

  static String excerpt(String text) {
    if (text == null) return null;
    String t = text.strip();
    return t.length() <= MAX_EXCERPT ? t : t.substring(0, MAX_EXCERPT);
  }
}
