package io.parley.store;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Documents read by {@code _id} and kept for a moment (tasks, AI profiles, managers, channels are read for
 * every message but change rarely): an edit reaches the reader within {@code ttl}. One instance belongs to
 * one verticle, so it needs no locking. What a reader builds from a document (a channel's client, a key
 * made from its secret) can be kept with it ({@link #derived}), built again only when the document is read
 * again.
 */
public final class RecentDocuments {
  private static final int MAX_ENTRIES = 1024;

  private static final class Entry {
    final org.bson.Document doc;
    final long until;
    Object derived; // what derived(...) built from doc, or null

    Entry(org.bson.Document doc, long until) {
      this.doc = doc;
      this.until = until;
    }
  }

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
    return entry(id).map(e -> e == null ? null : e.doc);
  }

  /**
   * What {@code make} builds from the document {@code id} (null when there is none), built once per read of
   * the document and kept with it. One instance serves one kind of derived value: a reader passes the same
   * {@code make} every time. An exception from {@code make} fails the future and keeps nothing.
   */
  @SuppressWarnings("unchecked")
  public <T> Future<T> derived(String id, Function<org.bson.Document, T> make) {
    return entry(id).map(e -> {
      if (e == null) return null;
      if (e.derived == null) e.derived = make.apply(e.doc);
      return (T) e.derived;
    });
  }

  private Future<Entry> entry(String id) {
    if (id == null) return Future.succeededFuture(null);
    Entry e = entries.get(id);
    long now = System.nanoTime();
    if (e != null && now - e.until < 0) return Future.succeededFuture(e);
    return store.find(id).map(doc -> {
      if (doc == null) return null;
      Entry fresh = new Entry(doc, now + ttlNanos);
      entries.put(id, fresh);
      return fresh;
    });
  }
}
