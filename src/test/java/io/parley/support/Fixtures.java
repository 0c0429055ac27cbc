package io.parley.support;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.store.Store;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Test data written straight into the store, and blocking reads of it for assertions. */
public final class Fixtures {
  private final Store store;

  public Fixtures(TestParley parley) {
    this.store = parley.parley().app().store();
  }

  public String channel(String type) {
    String id = Ids.newId();
    insert(Collections.CHANNELS, new Document("_id", id).append("type", type).append("name", type + " channel")
        .append("settings", new Document()).append("state", "active").append("createdAt", new Date()));
    return id;
  }

  public String manager(String name) {
    String id = Ids.newId();
    insert(Collections.MANAGERS, new Document("_id", id).append("name", name).append("persona", "")
        .append("operators", List.of()).append("createdAt", new Date()));
    return id;
  }

  public String ai(String name) {
    String id = Ids.newId();
    insert(Collections.AI_PROFILES, new Document("_id", id).append("name", name).append("provider", "scripted")
        .append("createdAt", new Date()));
    return id;
  }

  public String integration(String name) {
    String id = Ids.newId();
    insert(Collections.INTEGRATIONS, new Document("_id", id).append("name", name).append("url", "http://127.0.0.1:9/x")
        .append("createdAt", new Date()));
    return id;
  }

  public void insert(String collection, Document doc) {
    await(store.collection(collection).insertOne(doc));
  }

  public void update(String collection, String id, Bson update) {
    await(store.collection(collection).updateOne(new Document("_id", id), update));
  }

  public Document find(String collection, String id) {
    return await(store.collection(collection).find(new Document("_id", id)).first());
  }

  public long count(String collection, Bson filter) {
    return await(store.collection(collection).countDocuments(filter));
  }

  /** Blocks the test thread until the publisher completes; every item, in order. */
  public static <T> List<T> all(Publisher<T> publisher) {
    CompletableFuture<List<T>> result = new CompletableFuture<>();
    List<T> items = new java.util.ArrayList<>();
    publisher.subscribe(new Subscriber<T>() {
      public void onSubscribe(Subscription s) { s.request(Long.MAX_VALUE); }
      public void onNext(T t) { items.add(t); }
      public void onError(Throwable t) { result.completeExceptionally(t); }
      public void onComplete() { result.complete(items); }
    });
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Blocks the test thread (never an event loop) until the publisher's first item. */
  public static <T> T await(Publisher<T> publisher) {
    try {
      return future(publisher).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The publisher's first item (null when it completes empty), without blocking. */
  public static <T> CompletableFuture<T> future(Publisher<T> publisher) {
    CompletableFuture<T> result = new CompletableFuture<>();
    publisher.subscribe(new Subscriber<T>() {
      public void onSubscribe(Subscription s) { s.request(1); }
      public void onNext(T t) { result.complete(t); }
      public void onError(Throwable t) { result.completeExceptionally(t); }
      public void onComplete() { result.complete(null); }
    });
    return result;
  }
}
