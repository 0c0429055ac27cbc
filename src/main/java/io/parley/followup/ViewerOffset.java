package io.parley.followup;

import io.parley.http.ApiError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The manager's UTC offset in milliseconds, which decides where their day starts: the {@code X-TZ-Offset}
 * header or the {@code tz_offset} query parameter (hours east of UTC, fractions allowed, -14 to +14, whole
 * minutes), else the time zone of the manager resource, else UTC.
 */
final class ViewerOffset {
  static final String HEADER = "X-TZ-Offset";
  static final String PARAM = "tz_offset";
  private static final BigDecimal LIMIT = BigDecimal.valueOf(14);

  private ViewerOffset() {}

  /** The offset given by the caller, or null when it gave none; 400 naming the header or parameter if bad. */
  static Long given(String header, String param) {
    if (param != null) return parse(PARAM, param);
    if (header != null) return parse(HEADER, header);
    return null;
  }

  static long parse(String field, String value) {
    BigDecimal hours;
    try {
      hours = new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw ApiError.invalid(field, field + " must be a number of hours such as -8 or 5.5 (got \"" + value + "\")");
    }
    if (hours.abs().compareTo(LIMIT) > 0) {
      throw ApiError.invalid(field, field + " must be between -14 and 14 hours (got " + value + ")");
    }
    BigDecimal minutes = hours.multiply(BigDecimal.valueOf(60));
    if (minutes.stripTrailingZeros().scale() > 0) {
      throw ApiError.invalid(field, field + " must be a whole number of minutes (got " + value + " hours)");
    }
    return minutes.longValueExact() * 60_000L;
  }

  /** The offset of IANA zone {@code zone} at {@code now}; 0 (UTC) when there is no zone. */
  static long ofZone(String zone, Instant now) {
    if (zone == null) return 0;
    ZoneOffset offset = ZoneId.of(zone).getRules().getOffset(now);
    return offset.getTotalSeconds() * 1000L;
  }
}
