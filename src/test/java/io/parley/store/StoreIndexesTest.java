package io.parley.store;

import static io.parley.support.Fixtures.all;
import static io.parley.support.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database an earlier version set up loses the indexes nothing reads any more, and keeps every other one;
 * a database that never had them (or has not even the collections) starts as well. Through the driver,
 * against the embedded store, which keeps the indexes it is asked to create.
 */
class StoreIndexesTest {
  @TempDir
  Path dir;

  private EmbeddedMongo store;
  private MongoClient client;
  private MongoDatabase database;

  @BeforeEach
  void start() {
    store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8);
    client = MongoClients.create(MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(store.connectionString()))
        .applyToClusterSettings(b -> b.serverSelectionTimeout(2, TimeUnit.SECONDS)).build());
    database = client.getDatabase("parley");
  }

  @AfterEach
  void stop() {
    client.close();
    store.close();
  }

  @Test
  void theIndexesOfEarlierVersionsAreDroppedAndTheOthersKept() {
    index(Collections.DELIVERIES, Indexes.ascending("status"));
    index(Collections.DELIVERIES, Indexes.ascending("status", "nextAttemptAt"));
    index(Collections.MESSAGES, Indexes.ascending("dialogue", "createdAt"));
    index(Collections.MESSAGES, Indexes.ascending("dialogue", "createdAt", "_id"));
    assertEquals(Set.of("_id_", "status_1", "status_1_nextAttemptAt_1"), names(Collections.DELIVERIES));

    dropObsolete();

    assertEquals(Set.of("_id_", "status_1_nextAttemptAt_1"), names(Collections.DELIVERIES));
    assertEquals(Set.of("_id_", "dialogue_1_createdAt_1__id_1"), names(Collections.MESSAGES));
    dropObsolete(); // already gone: nothing to do, no error
    assertEquals(Set.of("_id_", "status_1_nextAttemptAt_1"), names(Collections.DELIVERIES));
  }

  @Test
  void aDatabaseWithoutThemStartsAsWell() {
    dropObsolete(); // no collections at all
    index(Collections.DELIVERIES, Indexes.ascending("status", "nextAttemptAt"));
    index(Collections.MESSAGES, Indexes.ascending("dialogue", "createdAt", "_id"));
    dropObsolete(); // the collections, without those indexes
    assertEquals(Set.of("_id_", "status_1_nextAttemptAt_1"), names(Collections.DELIVERIES));
    assertEquals(Set.of("_id_", "dialogue_1_createdAt_1__id_1"), names(Collections.MESSAGES));
  }

  private void index(String collection, org.bson.conversions.Bson keys) {
    await(database.getCollection(collection).createIndex(keys));
  }

  private void dropObsolete() {
    try {
      StoreIndexes.dropObsolete(database).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Set<String> names(String collection) {
    List<Document> indexes = all(database.getCollection(collection).listIndexes());
    Set<String> names = new TreeSet<>();
    indexes.forEach(i -> names.add(i.getString("name")));
    return names;
  }
}
