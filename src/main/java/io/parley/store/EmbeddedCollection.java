package io.parley.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;

/**
 * A collection of the embedded store that never hands out the document instance it stores. The server
 * applies an update by changing the document it found, in place, then putting it back; H2 may be writing
 * that same instance to disk on its own thread at that moment, and would save a half-updated document or
 * fail on a map changing under its iterator (which stops the whole store). Handing out copies makes every
 * update put a new instance and leave the stored one as it was.
 */
final class EmbeddedCollection extends H2Collection {
  EmbeddedCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
      MVMap<String, Object> meta, CursorRegistry cursors) {
    super(database, name, options, data, meta, cursors);
  }

  @Override
  protected Document getDocument(Object position) {
    Document stored = super.getDocument(position);
    return stored == null ? null : new Document(stored);
  }

  @Override
  protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
      Document fieldSelector) {
    QueryResult found = super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    List<Document> copies = new ArrayList<>();
    for (Document document : found) copies.add(new Document(document));
    return new QueryResult(copies, found.getCursorId());
  }
}
