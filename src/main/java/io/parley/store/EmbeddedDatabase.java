package io.parley.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database of the embedded store whose documents live in maps typed by {@link DocumentType} and whose
 * unique indexes (every collection's {@code _id}) in maps typed by {@link KeyValueType}. A store written
 * before keeps them under the H2 backend's own map names, with H2's default types; they are copied over
 * once, on first opening, and removed. Our maps' names end in a {@code $}, which no collection name holds.
 */
final class EmbeddedDatabase extends H2Database {
  private static final String META_PREFIX = "meta.";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final String INDEX_SUFFIX = "$keyed";
  static final String DATA_SUFFIX = "$bson";
  private static final String DATA_PREFIX = "databases.";
  /** The constructor of H2Database opens the indexes before this class's fields are set. */
  private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

  private final MVStore store;

  private EmbeddedDatabase(String name, MVStore store, CursorRegistry cursors) {
    super(name, store, cursors);
    this.store = store;
  }

  static EmbeddedDatabase open(String name, MVStore store, CursorRegistry cursors) {
    OPENING.set(store);
    try {
      return new EmbeddedDatabase(name, store, cursors);
    } finally {
      OPENING.remove();
    }
  }

  private MVStore store() {
    return store != null ? store : OPENING.get();
  }

  private String indexMap(String collection, String index) {
    return getFullCollectionNamespace(collection) + "._index_" + index;
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(String collection, String index, List<IndexKey> keys, boolean sparse) {
    MVStore mv = store();
    String legacy = indexMap(collection, index);
    MVMap<KeyValue, Object> map = mv.openMap(legacy + INDEX_SUFFIX, new MVMap.Builder<KeyValue, Object>().keyType(KeyValueType.INSTANCE));
    adopt(mv, legacy, map);
    return new KeyedIndex(map, index, keys, sparse);
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
    MVStore mv = store();
    String full = getFullCollectionNamespace(collection);
    MVMap<Object, Document> data = dataMap(mv, full);
    adopt(mv, DATA_PREFIX + full, data);
    MVMap<String, Object> meta = mv.openMap(META_PREFIX + full);
    return new EmbeddedCollection(this, collection, options, data, meta, cursorRegistry);
  }

  private static MVMap<Object, Document> dataMap(MVStore mv, String fullName) {
    return mv.openMap(DATA_PREFIX + fullName + DATA_SUFFIX, new MVMap.Builder<Object, Document>().valueType(DocumentType.INSTANCE));
  }

  /** Moves the entries of a map written by the plain H2 backend into ours, once. */
  private static <K, V> void adopt(MVStore mv, String legacy, MVMap<K, V> map) {
    if (!mv.hasMap(legacy)) return;
    MVMap<K, V> old = mv.openMap(legacy);
    log.info("Converting {} ({} entries) to the embedded store's own format", legacy, old.sizeAsLong());
    map.clear();
    for (Map.Entry<K, V> entry : old.entrySet()) map.put(entry.getKey(), entry.getValue());
    mv.removeMap(old);
    mv.commit();
  }

  @Override
  protected void dropIndex(MongoCollection<Object> collection, String indexName) {
    super.dropIndex(collection, indexName);
    store().removeMap(indexMap(collection.getCollectionName(), indexName) + INDEX_SUFFIX);
  }

  /** Dropping a collection drops its data and index maps, so a collection made again under its name starts empty. */
  @Override
  public void dropCollection(String collectionName, Oplog oplog) {
    super.dropCollection(collectionName, oplog);
    String full = getFullCollectionNamespace(collectionName);
    String indexes = indexMap(collectionName, "");
    for (String map : List.copyOf(store().getMapNames())) {
      if (map.equals(DATA_PREFIX + full + DATA_SUFFIX) || (map.startsWith(indexes) && map.endsWith(INDEX_SUFFIX))) {
        store().removeMap(map);
      }
    }
  }

  @Override
  public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newName) {
    super.moveCollection(oldDatabase, collection, newName);
    MVMap<Object, Document> data = dataMap(store(), collection.getFullName());
    store().renameMap(data, DATA_PREFIX + getFullCollectionNamespace(newName) + DATA_SUFFIX);
  }
}
