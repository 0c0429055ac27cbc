package io.parley.conversation;

import com.mongodb.MongoClientSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Whole dialogues as this process's conversation writes last left them, so a contact's next message can be
 * counted and its burst claimed without a store command that returns the dialogue ({@link
 * Dialogues#appendIncoming}). A copy is never trusted as it is: the write it serves is conditional on the
 * fields answering reads from it ({@link Dialogues#unchanged}), and falls back to reading the store when any
 * of them changed; fields answering never reads (what a manager read, a takeover's marks) may lag behind.
 *
 * <p>Copies change only after the store applied a write, in the order the store applied them ({@link
 * io.parley.store.BatchedWrites}), by applying the same update here ({@link #applied}). An update this class
 * cannot apply exactly drops the copy. Shared by the router and the responders of one process; copies are
 * dropped after {@code maxAge} or beyond {@code capacity}. {@value #METER} counts the messages a copy served
 * ({@code result=used}) and those whose copy the store refused ({@code result=refused}, then read).
 */
final class DialogueCache {
  static final String METER = "parley.dialogues.copies";

  /** One copy; compared by identity, so a copy replaced meanwhile is not overwritten by a stale successor. */
  static final class Entry {
    final Document dialogue;
    final Instant at;

    private Entry(Document dialogue, Instant at) {
      this.dialogue = dialogue;
      this.at = at;
    }
  }

  private final Clock clock;
  private final Duration maxAge;
  private final int capacity;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final Counter used;
  private final Counter refused;

  DialogueCache(Clock clock, Duration maxAge, int capacity) {
    this(clock, maxAge, capacity, new SimpleMeterRegistry());
  }

  DialogueCache(Clock clock, Duration maxAge, int capacity, MeterRegistry registry) {
    this.clock = clock;
    this.maxAge = maxAge;
    this.capacity = capacity;
    String what = "Known contacts' messages counted from this process's copy of their dialogue, or refused and read";
    this.used = Counter.builder(METER).description(what).tag("result", "used").register(registry);
    this.refused = Counter.builder(METER).description(what).tag("result", "refused").register(registry);
  }

  /** The copy of dialogue {@code id}, or null when there is none (or it is older than {@code maxAge}). */
  Entry get(String id) {
    Entry e = entries.get(id);
    if (e == null) return null;
    if (!clock.instant().isBefore(e.at.plus(maxAge))) {
      entries.remove(id, e);
      return null;
    }
    return e;
  }

  /** Keeps {@code dialogue} (whole, as the store returned it) as the copy of it. */
  void put(Document dialogue) {
    if (entries.size() >= capacity) sweep();
    if (entries.size() >= capacity) return;
    entries.put(dialogue.getString("_id"), new Entry(dialogue, clock.instant()));
  }

  /** Replaces {@code before} with {@code after}; drops the copy when {@code before} is no longer it. */
  void replace(Entry before, Document after) {
    String id = before.dialogue.getString("_id");
    if (!entries.replace(id, before, new Entry(after, before.at))) forget(id);
  }

  /**
   * After the store applied {@code update} (one recording the message {@code messageId}) to dialogue {@code id}:
   * the same change to its copy, unless the copy records that message last already (it was read after the write).
   */
  void recorded(String id, String messageId, Bson update) {
    entries.computeIfPresent(id, (k, e) -> {
      if (messageId != null && messageId.equals(lastMessageId(e.dialogue))) return e;
      Document after = applied(e.dialogue, update);
      return after == null ? null : new Entry(after, e.at);
    });
  }

  void forget(String id) {
    entries.remove(id);
  }

  /** How many messages were counted from a copy (tests, and the benchmark's notes). */
  long hits() {
    return hits.get();
  }

  void hit() {
    hits.incrementAndGet();
    used.increment();
  }

  /** The store refused a write made from a copy: the dialogue had changed (or the write failed alone). */
  void refused() {
    refused.increment();
  }

  int size() {
    return entries.size();
  }

  static String lastMessageId(Document dialogue) {
    Document last = dialogue.get("lastMessage", Document.class);
    return last == null ? null : last.getString("id");
  }

  private void sweep() {
    Instant now = clock.instant();
    entries.values().removeIf(e -> !now.isBefore(e.at.plus(maxAge)));
    if (entries.size() >= capacity) entries.clear(); // all young: start again rather than hold more
  }

  /**
   * {@code before} with {@code update} applied as the store applies it, as a new document ({@code before}
   * is not changed; values it shares are never changed in place). Only what conversation writes use:
   * {@code $set}, {@code $max}, {@code $inc} and {@code $push} with {@code $each} and a negative {@code
   * $slice}, on top-level fields. Null for anything else, and for values it cannot compare or add exactly.
   */
  static Document applied(Document before, Bson update) {
    Document after = new Document(before);
    for (Map.Entry<String, BsonValue> op : rendered(update).entrySet()) {
      if (!op.getValue().isDocument()) return null;
      for (Map.Entry<String, BsonValue> f : op.getValue().asDocument().entrySet()) {
        if (f.getKey().contains(".") || f.getKey().startsWith("$")) return null;
        Object given = value(f.getValue());
        if (given == Unsupported.VALUE) return null;
        Object current = after.get(f.getKey());
        Object value = switch (op.getKey()) {
          case "$set" -> given;
          case "$max" -> max(current, given);
          case "$inc" -> sum(current, given);
          case "$push" -> pushed(current, given);
          default -> Unsupported.VALUE;
        };
        if (value == Unsupported.VALUE) return null;
        after.put(f.getKey(), value);
      }
    }
    return after;
  }

  /**
   * {@code update} as the document the driver sends: rendered once, it serves both the write and {@link #applied}
   * (the driver sends a {@link BsonDocument} as it is).
   */
  static BsonDocument rendered(Bson update) {
    return update instanceof BsonDocument d ? d : update.toBsonDocument(Document.class, MongoClientSettings.getDefaultCodecRegistry());
  }

  /** {@code v} as the driver reads it into a {@link Document} (the kinds conversation writes use). */
  private static Object value(BsonValue v) {
    switch (v.getBsonType()) {
      case STRING: return v.asString().getValue();
      case INT32: return v.asInt32().getValue();
      case INT64: return v.asInt64().getValue();
      case DOUBLE: return v.asDouble().getValue();
      case BOOLEAN: return v.asBoolean().getValue();
      case DATE_TIME: return new Date(v.asDateTime().getValue());
      case DECIMAL128: return v.asDecimal128().getValue();
      case OBJECT_ID: return v.asObjectId().getValue();
      case NULL: return null;
      case DOCUMENT: {
        Document d = new Document();
        for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
          Object inner = value(e.getValue());
          if (inner == Unsupported.VALUE) return Unsupported.VALUE;
          d.put(e.getKey(), inner);
        }
        return d;
      }
      case ARRAY: {
        List<Object> list = new ArrayList<>();
        for (BsonValue item : v.asArray()) {
          Object inner = value(item);
          if (inner == Unsupported.VALUE) return Unsupported.VALUE;
          list.add(inner);
        }
        return list;
      }
      default: return Unsupported.VALUE;
    }
  }

  /** What {@link #applied} cannot do exactly. */
  private enum Unsupported { VALUE }

  private static Object max(Object current, Object value) {
    if (current == null) return value;
    if (current instanceof Date a && value instanceof Date b) return b.after(a) ? b : a;
    if (isWhole(current) && isWhole(value)) {
      return ((Number) value).longValue() > ((Number) current).longValue() ? value : current;
    }
    return Unsupported.VALUE;
  }

  private static Object sum(Object current, Object value) {
    if (current == null) return value;
    if (current instanceof Integer a && value instanceof Integer b) {
      int s = a + b;
      return ((a ^ s) & (b ^ s)) < 0 ? (Object) ((long) a + b) : (Object) s; // the store widens on overflow
    }
    if (!isWhole(current) || !isWhole(value)) return Unsupported.VALUE; // decimals: the store's rounding is not Java's
    try {
      return Math.addExact(((Number) current).longValue(), ((Number) value).longValue());
    } catch (ArithmeticException e) {
      return Unsupported.VALUE;
    }
  }

  private static boolean isWhole(Object v) {
    return v instanceof Integer || v instanceof Long;
  }

  private static Object pushed(Object current, Object spec) {
    if (!(spec instanceof Document each) || !(each.get("$each") instanceof List<?> items)) return Unsupported.VALUE;
    for (String key : each.keySet()) if (!key.equals("$each") && !key.equals("$slice")) return Unsupported.VALUE;
    if (current != null && !(current instanceof List<?>)) return Unsupported.VALUE;
    List<Object> list = new ArrayList<>(current == null ? List.of() : (List<?>) current);
    list.addAll(items);
    Object slice = each.get("$slice");
    if (slice != null) {
      if (!(slice instanceof Integer n) || n > 0) return Unsupported.VALUE;
      if (list.size() > -n) list = new ArrayList<>(list.subList(list.size() + n, list.size()));
    }
    return list;
  }
}
