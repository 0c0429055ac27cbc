package io.parley.channel.web;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads an HTTP {@code Retry-After} header, which is either delay seconds or an HTTP date. */
public final class RetryAfter {
  private RetryAfter() {}

  /** The delay the header asks for (zero for a date already past), or empty when absent or unreadable. */
  public static Optional<Duration> parse(String value, Clock clock) {
    if (value == null || value.isBlank()) return Optional.empty();
    String v = value.trim();
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return v.length() > 12 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration delay = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
