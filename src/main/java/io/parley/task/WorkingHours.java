package io.parley.task;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The UTC hours in which outgoing dialogues may start: {@code [from, to)}, wrapping past midnight when
 * {@code from > to} (22–6). {@code 0–24} is the whole day.
 */
public record WorkingHours(int from, int to) {
  public WorkingHours {
    if (from < 0 || from > 23) throw new IllegalArgumentException("from must be 0-23");
    if (to < 0 || to > 24) throw new IllegalArgumentException("to must be 0-24");
    if (from == to % 24 && !(from == 0 && to == 24)) throw new IllegalArgumentException("from and to must differ");
  }

  public static final WorkingHours ALL_DAY = new WorkingHours(0, 24);

  public boolean contains(int hour) {
    return from < to ? hour >= from && hour < to : hour >= from || hour < to;
  }

  public boolean contains(Instant instant) {
    return contains(instant.atOffset(ZoneOffset.UTC).getHour());
  }

  /** How many hours a day are inside the window. */
  public int hoursPerDay() {
    return from < to ? to - from : 24 - from + to;
  }
}
