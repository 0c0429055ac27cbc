package io.parley.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 *
 * <p>An update of one document by operators ({@code $set}, {@code $inc}, {@code $push}…) is applied here
 * with at most one deep copy where the server makes two (three when the answer leaves fields out): the server
 * copies the document it found deeply before building the updated one (itself a deep copy), changes the found
 * one in place to match, and compares old and new whole twice. The found document is already a copy nobody
 * else holds, and the updated one is new, so here the updated one is stored as it is, after one comparison (an
 * update that changes nothing writes nothing). An update of top-level fields alone, the kind every message
 * makes, needs no deep copy at all ({@link #updated}).
 * Upserts that insert, positional and array-filtered updates, replacements and multi-updates take the
 * server's own way.
 */
final class EmbeddedCollection extends H2Collection {
  private static final LongAdder SCANS = new LongAdder();
  private static final LongAdder LEAN_UPDATES = new LongAdder();
  /**
   * The operators that change the value of the top-level field they name, and nothing inside any other value:
   * an update made of these alone, on top-level fields, needs no deep copy ({@link #updated}). Not {@code
   * $rename} (its target may be a path into another value), {@code $bit} or {@code $setOnInsert}.
   */
  private static final Set<String> TOP_LEVEL_OPERATORS = Set.of("$set", "$unset", "$inc", "$mul", "$min", "$max",
      "$currentDate", "$push", "$addToSet", "$pull", "$pullAll", "$pop");
  /** The server's own update of a document: a deep copy of it with the update applied, checked. */
  private static final MethodHandle UPDATED;
  /** The server's own application of one operator's changes to a document, in place. */
  private static final MethodHandle MODIFIED;
  /** The server's own check that an update's paths do not conflict. */
  private static final MethodHandle CONFLICTS;

  static {
    try {
      MethodHandles.Lookup server = MethodHandles.privateLookupIn(AbstractMongoCollection.class, MethodHandles.lookup());
      UPDATED = server.findVirtual(AbstractMongoCollection.class, "calculateUpdateDocument", MethodType.methodType(
          Document.class, Document.class, Document.class, ArrayFilters.class, Integer.class, boolean.class));
      MODIFIED = server.findVirtual(AbstractMongoCollection.class, "modifyField", MethodType.methodType(void.class,
          Document.class, String.class, Document.class, ArrayFilters.class, Integer.class, boolean.class));
      CONFLICTS = server.findStatic(AbstractMongoCollection.class, "validateUpdateQuery",
          MethodType.methodType(void.class, Document.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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

  @Override
  public synchronized Document updateDocuments(Document selector, Document update, ArrayFilters arrayFilters,
      boolean isMulti, boolean isUpsert, Oplog oplog) {
    if (isMulti || !arrayFilters.isEmpty() || !byOperators(update)) {
      return super.updateDocuments(selector, update, arrayFilters, isMulti, isUpsert, oplog);
    }
    Document found = first(selector, null);
    if (found == null && isUpsert) return super.updateDocuments(selector, update, arrayFilters, false, true, oplog);
    List<Object> changed = new ArrayList<>(1);
    if (found != null && store(found, update) != null) changed.add(found.get(getIdField()));
    oplog.handleUpdate(getFullName(), selector, update, changed);
    return new Document("n", found == null ? 0 : 1).append("nModified", changed.size());
  }

  @Override
  public synchronized Document findAndModify(Document command) {
    Object update = command.get("update");
    if (Utils.isTrue(command.get("remove")) || command.containsKey("arrayFilters")
        || !(update instanceof Document changes) || !byOperators(changes)
        || command.get("fields") instanceof Document f && !topLevel(f)) {
      return super.findAndModify(command);
    }
    Document query = command.get("query") instanceof Document q ? q : new Document();
    Document found = first(query, (Document) command.get("sort"));
    if (found == null) return super.findAndModify(command); // nothing to update: an upsert's insert, or no match
    Document stored;
    try {
      stored = store(found, changes);
    } catch (MongoServerError e) { // refused before anything changed: the server refuses it again, in its own words
      return super.findAndModify(command);
    }
    Document value = Utils.isTrue(command.get("new")) ? (stored == null ? found : stored) : found;
    if (command.get("fields") instanceof Document fields) value = project(value, fields);
    Document result = new Document("lastErrorObject", new Document("updatedExisting", Boolean.TRUE).append("n", 1));
    result.put("value", value);
    result.put("ok", 1.0);
    return result;
  }

  /** How many single-document updates, in this JVM, took the lean way. */
  static long leanUpdates() {
    return LEAN_UPDATES.sum();
  }

  /** The first document {@code query} finds, in {@code orderBy}'s order (null: natural); null when none. */
  private Document first(Document query, Document orderBy) {
    for (Document document : queryDocuments(query, orderBy, 0, 1, 0, null)) return document;
    return null;
  }

  /**
   * Applies {@code update} to {@code found} (a copy of the stored document, {@link #getDocument}) and stores
   * the result in its place: the document stored, or null when the update changed nothing.
   */
  private Document store(Document found, Document update) {
    Document next;
    try {
      next = updated(found, update);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    LEAN_UPDATES.increment();
    if (next.equals(found)) return null;
    for (Index<Object> index : getIndexes()) index.checkUpdate(found, next, this);
    Object position = position(found);
    for (Index<Object> index : getIndexes()) index.updateInPlace(found, next, position, this);
    handleUpdate(position, found, next);
    return next;
  }

  /**
   * {@code found} with {@code update} applied, as a new document, by the server's own code. When the update
   * changes top-level fields alone, by {@link #TOP_LEVEL_OPERATORS}, the new document shares every value with
   * {@code found} but the lists it changes, which it copies (their items are shared): those operators put new
   * values or change a list in place, never anything inside another value. Otherwise the new document is a deep
   * copy, as the server makes it. Either way nothing {@code found} holds changes.
   */
  private Document updated(Document found, Document update) throws Throwable {
    if (!topLevelOnly(update)) return (Document) UPDATED.invoke(this, found, update, ArrayFilters.empty(), null, false);
    CONFLICTS.invoke(update);
    Set<String> changed = new HashSet<>();
    for (Object fields : update.values()) changed.addAll(((Document) fields).keySet());
    Document next = new Document();
    if (getIdField() != null) next.put(getIdField(), found.get(getIdField())); // first, as the server puts it
    for (var entry : found.entrySet()) {
      Object value = entry.getValue();
      next.put(entry.getKey(), value instanceof List<?> list && changed.contains(entry.getKey()) ? new ArrayList<>(list) : value);
    }
    for (String operator : update.keySet()) MODIFIED.invoke(this, next, operator, update, ArrayFilters.empty(), null, false);
    Utils.validateFieldNames(next);
    return next;
  }

  /** Whether {@code update} (by operators, {@link #byOperators}) uses {@link #TOP_LEVEL_OPERATORS} on top-level fields only. */
  private static boolean topLevelOnly(Document update) {
    for (var entry : update.entrySet()) {
      if (!TOP_LEVEL_OPERATORS.contains(entry.getKey())) return false;
      for (String path : ((Document) entry.getValue()).keySet()) if (path.contains(".")) return false;
    }
    return true;
  }

  /** Where {@code document} is stored, as its indexes agree. */
  private Object position(Document document) {
    if (getIndexes().isEmpty()) return findDocumentPosition(document);
    Set<Object> positions = new HashSet<>(1);
    for (Index<Object> index : getIndexes()) {
      Object position = index.getPosition(document);
      if (position != null) positions.add(position);
    }
    if (positions.size() != 1) throw new IllegalStateException("document " + document.get(getIdField())
        + " is stored at " + positions.size() + " positions by its indexes");
    return positions.iterator().next();
  }

  /**
   * Whether a projection names top-level fields only, each with 0/1 or false/true, all kept or all left out
   * ({@code _id} aside): the projections {@link #project} applies; the server applies the others.
   */
  private boolean topLevel(Document fields) {
    Boolean keep = null;
    for (var entry : fields.entrySet()) {
      if (entry.getKey().contains(".") || entry.getKey().startsWith("$")) return false;
      boolean kept;
      if (entry.getValue() instanceof Boolean b) kept = b;
      else if (entry.getValue() instanceof Number n) kept = n.doubleValue() != 0;
      else return false;
      if (entry.getKey().equals(getIdField())) continue;
      if (keep != null && keep != kept) return false;
      keep = kept;
    }
    return true;
  }

  /**
   * {@code document} with only the fields a {@link #topLevel} projection keeps: its {@code _id} unless left
   * out, then the fields it names (in its order) or all but those it leaves out. Values are shared, not copied:
   * a stored document's values are never changed in place.
   */
  private Document project(Document document, Document fields) {
    boolean exclusions = true;
    for (var entry : fields.entrySet()) {
      if (!entry.getKey().equals(getIdField()) && Utils.isTrue(entry.getValue())) exclusions = false;
    }
    Document projected;
    if (exclusions) {
      projected = new Document(document);
    } else {
      projected = new Document();
      if (document.containsKey(getIdField())) projected.put(getIdField(), document.get(getIdField()));
    }
    for (var entry : fields.entrySet()) {
      if (!Utils.isTrue(entry.getValue())) projected.remove(entry.getKey());
      else if (document.containsKey(entry.getKey())) projected.put(entry.getKey(), document.get(entry.getKey()));
    }
    return projected;
  }

  /**
   * Whether {@code update} changes named fields only by operators: no replacement document, no positional
   * ({@code a.$}) or array-filtered ({@code a.$[x]}) path, which need the query's match position.
   */
  private static boolean byOperators(Document update) {
    if (update.isEmpty()) return false;
    for (String operator : update.keySet()) {
      if (!operator.startsWith("$") || !(update.get(operator) instanceof Document fields)) return false;
      for (String path : fields.keySet()) if (path.contains("$")) return false;
    }
    return true;
  }
}
