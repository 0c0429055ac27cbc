package io.parley.store;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Documents read by {@code _id} and kept for a moment (tasks, AI profiles, managers, channels are read for
 * every message but change rarely): an edit reaches the reader within {@code ttl}. One instance belongs to
 * one verticle, so it needs no locking.
 */
public final class RecentDocuments {
  private static final int MAX_ENTRIES = 1024;

  private record Entry(org.bson.Document doc, long until) {}

  private final DocumentStore store;
  private final long ttlNanos;
  private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  public RecentDocuments(DocumentStore store, Duration ttl) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
  }

  public Future<org.bson.Document> find(String id) {
    if (id == null) return Future.succeededFuture(null);
    Entry e = entries.get(id);
    long now = System.nanoTime();
    if (e != null && now - e.until() < 0) return Future.succeededFuture(e.doc());
    return store.find(id).map(doc -> {
      if (doc != null) entries.put(id, new Entry(doc, now + ttlNanos));
      return doc;
    });
  }
}
