package io.parley.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.h2.mvstore.MVMap;

/**
 * A collection of the embedded store that never hands out the document instance it stores. The server
 * applies an update by changing the document it found, in place, then putting it back; H2 may be writing
 * that same instance to disk on its own thread at that moment, and would save a half-updated document or
 * fail on a map changing under its iterator (which stops the whole store). Handing out copies makes every
 * update put a new instance and leave the stored one as it was.
 *
 * <p>The server keeps each collection's data size by encoding every document it inserts, removes or
 * updates — twice per update, old and new — only to count bytes; for a task document listing a thousand
 * channels that was most of the CPU a dispatcher used. Parley never asks for collection statistics, so
 * sizes are not kept: {@code collStats} reports a stale size.
 *
 * <p>The server looks a query up in an index only when the query names exactly that index's fields; a
 * conditional write by {@code _id} ({@code {_id: x, state: "open"}}) would read the whole collection. Here a
 * query with an {@code _id} equality among other conditions (also inside {@code $and}) reads that one
 * document and matches the rest.
 */
final class EmbeddedCollection extends H2Collection {
  private static final LongAdder SCANS = new LongAdder();

  EmbeddedCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
      MVMap<String, Object> meta, CursorRegistry cursors) {
    super(database, name, options, data, meta, cursors);
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
      Document fieldSelector) {
    Object id = query.size() > 1 || query.containsKey("$and") ? idEquality(query) : null;
    if (id != null) {
      Document byId = new Document("_id", id);
      for (Index<Object> index : getIndexes()) {
        if (index.isUnique() && index.canHandle(byId)) {
          return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
      }
    }
    return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
  }

  @Override
  protected Document getDocument(Object position) {
    Document stored = super.getDocument(position);
    return stored == null ? null : new Document(stored);
  }

  @Override
  protected boolean tracksDataSize() {
    return false;
  }

  /**
   * The {@code _id} a query requires by equality, at its top level or inside {@code $and} (as the driver
   * writes {@code Filters.and}); null when it requires none or compares {@code _id} otherwise.
   */
  private static Object idEquality(Document query) {
    Object id = query.get("_id");
    if (id instanceof String || id instanceof Number || id instanceof ObjectId) return id;
    if (query.get("$and") instanceof List<?> all) {
      for (Object clause : all) {
        if (clause instanceof Document d && (id = idEquality(d)) != null) return id;
      }
    }
    return null;
  }

  /** How many queries, in this JVM, read a whole collection because no index could answer them. */
  static long scans() {
    return SCANS.sum();
  }

  @Override
  protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
      Document fieldSelector) {
    SCANS.increment();
    QueryResult found = super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    List<Document> copies = new ArrayList<>();
    for (Document document : found) copies.add(new Document(document));
    return new QueryResult(copies, found.getCursorId());
  }
}
