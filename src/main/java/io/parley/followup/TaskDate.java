package io.parley.followup;

import io.parley.http.ApiError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A follow-up task's date: a whole day ({@code 2026-01-05}) or an instant with the offset it was given in
 * ({@code 2026-01-10T05:00:00+00:00}). Stored as {@code allDay} plus {@code due}: the epoch day of an all-day
 * date, the epoch millisecond of a date-time, so each kind sorts and filters on one indexed number.
 *
 * <p>Seen by a manager at a UTC offset, every date gets a position on one line, {@link #key}: twice the
 * millisecond it starts at (an all-day date starts at the manager's local midnight), plus one for a
 * date-time, so a day sorts before every date-time at or after its start.
 */
record TaskDate(String wire, boolean allDay, long due) {
  static final long DAY_MS = 86_400_000L;
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  /** Parses {@code value} of the field {@code field}; 400 naming it when it is neither form. */
  static TaskDate parse(String field, String value) {
    try {
      if (value.length() == 10) return ofDay(LocalDate.parse(value));
      OffsetDateTime at = OffsetDateTime.parse(value).truncatedTo(ChronoUnit.SECONDS);
      if (at.getYear() < 1 || at.getYear() > 9999) throw ApiError.invalid(field, field + " must be in the years 1 to 9999");
      return ofInstant(at);
    } catch (DateTimeParseException e) {
      throw ApiError.invalid(field, field + " must be a date (2026-01-05) or a date-time with offset "
          + "(2026-01-10T05:00:00+00:00), got \"" + value + "\"");
    }
  }

  static TaskDate ofDay(LocalDate day) {
    return new TaskDate(day.toString(), true, day.toEpochDay());
  }

  static TaskDate ofInstant(OffsetDateTime at) {
    return new TaskDate(DATE_TIME.format(at), false, at.toInstant().toEpochMilli());
  }

  /** A date-time at {@code instant}, written in UTC. */
  static TaskDate at(Instant instant) {
    return ofInstant(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }

  /** This date's position for a manager {@code offsetMs} east of UTC. */
  long key(long offsetMs) {
    return allDay ? dayKey(due, offsetMs) : 2 * due + 1;
  }

  /** The position of the start of the local day {@code epochDay}: before every date-time of that day. */
  static long dayKey(long epochDay, long offsetMs) {
    return 2 * (epochDay * DAY_MS - offsetMs);
  }

  static long instantKey(long epochMs) {
    return 2 * epochMs + 1;
  }
}
