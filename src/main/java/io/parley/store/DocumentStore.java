package io.parley.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One collection of documents keyed by string {@code _id}, with the calls every aggregate needs. Each
 * call fails with the driver's exception; a missing document is {@code null} or {@code false}, not a failure.
 */
public class DocumentStore {
  private final MongoCollection<Document> collection;

  public DocumentStore(Store store, String name) {
    this.collection = store.collection(name);
  }

  public MongoCollection<Document> collection() {
    return collection;
  }

  public Future<Document> find(String id) {
    return Rx.first(collection.find(Filters.eq("_id", id)).limit(1));
  }

  /** The documents with these ids that exist, in no particular order. */
  public Future<List<Document>> findAll(Collection<String> ids) {
    return Rx.list(collection.find(Filters.in("_id", ids)));
  }

  public Future<List<Document>> list(Bson filter, Bson sort, int skip, int limit) {
    return Rx.list(collection.find(filter).sort(sort).skip(skip).limit(limit));
  }

  public Future<Long> count(Bson filter) {
    return Rx.first(collection.countDocuments(filter));
  }

  public Future<Void> insert(Document doc) {
    return Rx.done(collection.insertOne(doc));
  }

  /** Applies {@code update} to the document {@code id} if it matches {@code condition}; the new version or null. */
  public Future<Document> update(String id, Bson condition, Bson update) {
    return Rx.first(collection.findOneAndUpdate(Filters.and(Filters.eq("_id", id), condition), update,
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
  }

  public Future<Document> update(String id, Bson update) {
    return update(id, Filters.empty(), update);
  }

  public Future<Boolean> delete(String id) {
    return Rx.first(collection.deleteOne(Filters.eq("_id", id))).map(r -> r.getDeletedCount() > 0);
  }
}
