package io.parley.dispatch;

import io.parley.task.WorkingHours;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** What the dispatcher needs of one running task to decide when it may open its next dialogue. */
record TaskPlan(String taskId, WorkingHours hours, int dailyLimit, Duration pause) {

  /** The first instant at or after {@code t} inside the working hours. */
  Instant nextOpen(Instant t) {
    if (hours.contains(t)) return t;
    Instant todayAtFrom = t.atOffset(ZoneOffset.UTC).toLocalDate().atStartOfDay()
        .plusHours(hours.from()).toInstant(ZoneOffset.UTC);
    return todayAtFrom.isBefore(t) ? todayAtFrom.plus(Duration.ofDays(1)) : todayAtFrom;
  }

  static LocalDate utcDay(Instant t) {
    return t.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  static Instant startOfNextUtcDay(Instant t) {
    return utcDay(t).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
