package io.parley.followup;

import com.mongodb.client.model.Filters;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.conversions.Bson;

/**
 * A {@link TaskQuery} made concrete for one caller at one offset and instant: MongoDB filters over the
 * stored {@code allDay}/{@code due} pair (see {@link TaskDate}), each a range on one indexed number.
 */
final class Selection {
  /** Where one kind of date lies on the key line: {@code key = a * due + b}. */
  record Line(boolean allDay, long a, long b) {}

  private final TaskQuery query;
  private final Caller caller;
  private final long offsetMs;
  private final long lo;
  private final long hi;

  Selection(TaskQuery query, Caller caller, long offsetMs, Instant now) {
    this.query = query;
    this.caller = caller;
    this.offsetMs = offsetMs;
    long[] range = dateRange(query, offsetMs, now);
    this.lo = range[0];
    this.hi = range[1];
  }

  long offsetMs() {
    return offsetMs;
  }

  Line allDays() {
    return new Line(true, 2 * TaskDate.DAY_MS, -2 * offsetMs);
  }

  static Line dateTimes() {
    return new Line(false, 2, 1);
  }

  /** Every selected task, whatever its kind of date. */
  Bson all() {
    return Filters.and(common(), Filters.or(range(allDays()), range(dateTimes())));
  }

  /** The selected tasks with dates of one kind, past {@code cursor} in the listing's direction. */
  Bson stream(Line line, Cursor cursor, boolean descending) {
    List<Bson> parts = new ArrayList<>(List.of(common(), range(line)));
    if (cursor != null) parts.add(after(line, cursor, descending));
    return Filters.and(parts);
  }

  /** The selected tasks past {@code cursor} in creation order. */
  Bson created(Cursor cursor, boolean descending) {
    Bson base = all();
    if (cursor == null) return base;
    Date at = new Date(cursor.key());
    Bson beyond = descending
        ? Filters.or(Filters.lt("createdAt", at), Filters.and(Filters.eq("createdAt", at), Filters.lt("_id", cursor.id())))
        : Filters.or(Filters.gt("createdAt", at), Filters.and(Filters.eq("createdAt", at), Filters.gt("_id", cursor.id())));
    return Filters.and(base, beyond);
  }

  private Bson common() {
    List<Bson> parts = new ArrayList<>();
    parts.add(caller.visible());
    if (query.ids() != null) parts.add(Filters.in("_id", query.ids()));
    if (query.types() != null) parts.add(Filters.in("type", query.types()));
    if (query.dialogue() != null) parts.add(Filters.eq("dialogue", query.dialogue()));
    if (query.task() != null) parts.add(Filters.eq("task", query.task()));
    if (query.assignedTo() != null) parts.add(Filters.eq("assignedTo", query.assignedTo()));
    if (query.isComplete() != null) parts.add(Filters.eq("isComplete", query.isComplete()));
    if (query.view() != null) parts.add(Filters.eq("isComplete", query.view() == TaskQuery.View.ARCHIVE));
    for (TaskQuery.Bound b : query.created()) parts.add(createdBound(b));
    return Filters.and(parts);
  }

  private Bson createdBound(TaskQuery.Bound b) {
    TaskDate v = b.value();
    long start = v.allDay() ? v.due() * TaskDate.DAY_MS - offsetMs : v.due();
    long end = v.allDay() ? start + TaskDate.DAY_MS : v.due() + 1;
    return switch (b.op()) {
      case "lt" -> Filters.lt("createdAt", new Date(start));
      case "lte" -> Filters.lt("createdAt", new Date(end));
      case "gt" -> Filters.gte("createdAt", new Date(end));
      default -> Filters.gte("createdAt", new Date(start));
    };
  }

  /** {@code [lo, hi)} on the key line from the date bounds and the view. */
  private static long[] dateRange(TaskQuery query, long offsetMs, Instant now) {
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    for (TaskQuery.Bound b : query.date()) {
      TaskDate v = b.value();
      long start = v.allDay() ? TaskDate.dayKey(v.due(), offsetMs) : TaskDate.instantKey(v.due());
      long end = v.allDay() ? TaskDate.dayKey(v.due() + 1, offsetMs) : start + 1;
      switch (b.op()) {
        case "lt" -> hi = Math.min(hi, start);
        case "lte" -> hi = Math.min(hi, end);
        case "gt" -> lo = Math.max(lo, end);
        default -> lo = Math.max(lo, start);
      }
    }
    if (query.view() == TaskQuery.View.INBOX || query.view() == TaskQuery.View.FUTURE) {
      LocalDate today = LocalDate.ofInstant(now, ZoneOffset.ofTotalSeconds((int) (offsetMs / 1000)));
      long tomorrow = TaskDate.dayKey(today.toEpochDay() + 1, offsetMs);
      if (query.view() == TaskQuery.View.INBOX) hi = Math.min(hi, tomorrow);
      else lo = Math.max(lo, tomorrow);
    }
    return new long[] {lo, hi};
  }

  private Bson range(Line line) {
    List<Bson> parts = new ArrayList<>(List.of(Filters.eq("allDay", line.allDay())));
    if (lo != Long.MIN_VALUE) parts.add(Filters.gte("due", ceilDiv(lo - line.b(), line.a())));
    if (hi != Long.MAX_VALUE) parts.add(Filters.lte("due", Math.floorDiv(hi - 1 - line.b(), line.a())));
    return Filters.and(parts);
  }

  private static Bson after(Line line, Cursor cursor, boolean descending) {
    long v = descending ? ceilDiv(cursor.key() - line.b(), line.a()) : Math.floorDiv(cursor.key() - line.b(), line.a());
    boolean exact = line.a() * v + line.b() == cursor.key();
    Bson beyond = descending ? Filters.lt("due", v) : Filters.gt("due", v);
    if (!exact) return beyond;
    Bson tie = Filters.and(Filters.eq("due", v), descending ? Filters.lt("_id", cursor.id()) : Filters.gt("_id", cursor.id()));
    return Filters.or(beyond, tie);
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
