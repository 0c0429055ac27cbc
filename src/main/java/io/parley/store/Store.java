package io.parley.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.connection.TransportSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.parley.config.ConfigException;
import io.parley.config.ParleyConfig;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's MongoDB: either the configured {@code mongo.uri} or the embedded store. Owns the client's
 * lifetime and, through {@link Collections}, every collection name.
 */
public final class Store implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Store.class);

  private final MongoClient client;
  private final MongoDatabase database;
  private final Optional<EmbeddedMongo> embedded;
  private final String description;
  private final Map<String, BatchedWrites> batched = new ConcurrentHashMap<>();
  private final Saves saves;

  private Store(MongoClient client, MongoDatabase database, Optional<EmbeddedMongo> embedded, String description) {
    this.client = client;
    this.database = database;
    this.embedded = embedded;
    this.description = description;
    this.saves = embedded.map(e -> new Saves(e::commit)).orElse(null);
  }

  /** Opens the store and waits until it answers a ping; blocks the calling (non-event-loop) thread. */
  public static Store open(ParleyConfig config) {
    Optional<EmbeddedMongo> embedded = Optional.empty();
    String uri;
    String description;
    if (config.mongoUri().isPresent()) {
      uri = config.mongoUri().get();
      description = "MongoDB at " + redact(uri);
    } else {
      EmbeddedMongo e = EmbeddedMongo.start(config.dataDir(), config.embeddedHost(), config.embeddedPort(), config.embeddedCacheMb(),
          config.embeddedSync());
      embedded = Optional.of(e);
      uri = e.connectionString();
      description = "embedded store, data in " + e.file() + " (wire protocol at " + uri + ")";
    }
    MongoClient client;
    try {
      client = MongoClients.create(settings(uri, config.mongoConnectTimeoutSeconds()));
    } catch (IllegalArgumentException e) {
      embedded.ifPresent(EmbeddedMongo::close);
      throw new ConfigException("mongo.uri is not a valid MongoDB connection string: " + e.getMessage(), e);
    }
    Store store = new Store(client, client.getDatabase(config.mongoDatabase()), embedded, description);
    store.awaitPing(config.mongoConnectTimeoutSeconds());
    return store;
  }

  private static MongoClientSettings settings(String uri, int timeoutSeconds) {
    return MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(uri))
        .applyToClusterSettings(b -> b.serverSelectionTimeout(timeoutSeconds, TimeUnit.SECONDS))
        .applyToSocketSettings(b -> b.connectTimeout(timeoutSeconds, TimeUnit.SECONDS))
        // Netty (already here for Vert.x) rather than the JDK's asynchronous channels: about a third less
        // CPU per operation in a probe of by-_id updates against the embedded store.
        .transportSettings(TransportSettings.nettyBuilder().build())
        .build();
  }

  private void awaitPing(int timeoutSeconds) {
    CompletableFuture<Document> ping = new CompletableFuture<>();
    database.runCommand(new Document("ping", 1)).subscribe(new org.reactivestreams.Subscriber<>() {
      public void onSubscribe(org.reactivestreams.Subscription s) { s.request(1); }
      public void onNext(Document d) { ping.complete(d); }
      public void onError(Throwable t) { ping.completeExceptionally(t); }
      public void onComplete() { ping.complete(null); }
    });
    try {
      ping.get(timeoutSeconds + 5L, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException("MongoDB did not answer (" + description + "): " + cause.getMessage(), cause);
    }
    log.info("Store ready: {}", description);
  }

  /**
   * Completes once every write the store acknowledged before the call would outlive a kill of this process:
   * what must hold before Parley answers the outside (a webhook's 200, an opening about to be sent). The
   * embedded store lives in this process and saves its file only about once a second on its own, so it is
   * asked to save now ({@link Saves}). A MongoDB server of its own keeps what it acknowledged by the write
   * concern (a replica set's default: a majority of its members), so there is nothing to wait for.
   */
  public Future<Void> saved() {
    return saves == null ? Future.succeededFuture() : saves.save();
  }

  /**
   * Asks for a save without waiting for it: for a record of something that already left Parley (a message a
   * platform accepted), which no wait can undo but which a kill should not lose. On the embedded store it is
   * then in the file within a save's interval, where on its own it would be within about a second.
   */
  public void saveSoon() {
    if (saves != null) saves.save().onFailure(err -> log.debug("A save asked for was not made: {}", err.getMessage()));
  }

  public MongoCollection<Document> collection(String name) {
    return database.getCollection(name);
  }

  /** The collection's single-document writes, sent many to a command under load; one per collection. */
  public BatchedWrites batched(String name) {
    return batched.computeIfAbsent(name, n -> new BatchedWrites(collection(n)));
  }

  public MongoDatabase database() {
    return database;
  }

  public String description() {
    return description;
  }

  public boolean embedded() {
    return embedded.isPresent();
  }

  @Override
  public void close() {
    if (saves != null) saves.close();
    client.close();
    embedded.ifPresent(EmbeddedMongo::close);
  }

  static String redact(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }
}
