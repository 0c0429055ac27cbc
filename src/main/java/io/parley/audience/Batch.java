package io.parley.audience;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Targets gathered for one write, deduplicated by address on the way in (the first line wins). */
final class Batch {
  /** One target as it will be stored. */
  record Entry(long line, String address, TargetKind kind, Map<String, String> fields) {}

  private final Map<String, Entry> entries;
  private long duplicates;

  Batch(int capacity) {
    this.entries = new LinkedHashMap<>(capacity * 4 / 3 + 1);
  }

  void add(long line, ParsedLine.Target target, Map<String, String> fields) {
    Entry entry = new Entry(line, target.address(), target.kind(), fields);
    if (entries.putIfAbsent(target.address(), entry) != null) duplicates++;
  }

  int size() {
    return entries.size();
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  /** Lines dropped because an earlier line of the same batch had the same address. */
  long duplicates() {
    return duplicates;
  }
}
