package io.parley.conversation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dialogue keys the router read or wrote lately ({@code channel:contact} → dialogue and task), so a
 * contact's next message goes to its dialogue without reading {@code dialogue_keys} again. A key found here
 * is not trusted blindly: the message is written to the dialogue only while it still belongs to that contact
 * and no later dialogue replaced it ({@link Dialogues#appendIncoming}, its {@code checked} filter); if not, the
 * key is forgotten and read from the store. An entry is also forgotten after {@code maxAge}, and the least
 * recently used go once there are {@code capacity}. Used from the router's event loop only.
 */
final class KnownKeys {
  /**
   * What a key named when it was read ({@code at}), and the dialogue's count of the contact's messages and
   * whether it was open, as the router's last write to it left them ({@code inSeq} -1: not seen yet). Those
   * two let the next message claim its burst in the write that stores it ({@link Dialogues#appendIncoming});
   * a write that finds them changed since stores the message as usual.
   */
  record Known(String dialogue, String task, Instant at, long inSeq, boolean open) {}

  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Known> entries;

  KnownKeys(Clock clock, Duration maxAge, int capacity) {
    this.clock = clock;
    this.maxAge = maxAge;
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
        return size() > capacity;
      }
    };
  }

  /** What {@code key} named, or null when it is not known (or known too long ago). */
  Known get(String key) {
    Known known = entries.get(key);
    if (known == null) return null;
    if (!clock.instant().isBefore(known.at().plus(maxAge))) {
      entries.remove(key);
      return null;
    }
    return known;
  }

  void put(String key, String dialogue, String task) {
    entries.put(key, new Known(dialogue, task, clock.instant(), -1, false));
  }

  /**
   * Notes the count and state of the dialogue {@code key} names, as a write just returned them; the key's age
   * runs on from when it was read. Nothing changes when the key is not known or names another dialogue.
   */
  void saw(String key, String dialogue, long inSeq, boolean open) {
    entries.computeIfPresent(key, (k, known) -> known.dialogue().equals(dialogue)
        ? new Known(known.dialogue(), known.task(), known.at(), inSeq, open) : known);
  }

  void forget(String key) {
    entries.remove(key);
  }

  int size() {
    return entries.size();
  }
}
