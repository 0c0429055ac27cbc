package io.parley.store;

import static io.parley.support.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's file compacted at start when most of it is free ({@link StoreFiles}). */
class StoreFilesTest {
  private static final long MB = 1L << 20;

  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("parley.mv.db");
  }

  /** 400 documents of 16 KB with a unique secondary index, each rewritten 3 times, all but 40 then deleted. */
  private void writeThenDeleteMost() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8, Long.MAX_VALUE);
        MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> things = things(client);
      await(things.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true)));
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < 400; i++) docs.add(new Document("_id", "t" + i).append("k", i).append("blob", "a".repeat(16_000)));
      await(things.insertMany(docs));
      store.commit();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 400; i++) {
          await(things.updateOne(Filters.eq("_id", "t" + i), Updates.set("blob", String.valueOf(round).repeat(16_000))));
        }
        store.commit();
      }
      await(things.deleteMany(Filters.gte("k", 40)));
    }
  }

  private static MongoCollection<Document> things(MongoClient client) {
    return client.getDatabase("p").getCollection("things");
  }

  @Test
  void aFileMostlyFreeIsCompactedAtStartAndKeepsItsDocumentsAndIndexes() throws Exception {
    writeThenDeleteMost();
    long before = Files.size(file());
    int live = StoreFiles.livePercent(file());
    assertTrue(before > 4 * MB, "the file holds the rewrites: " + before);
    assertTrue(live <= StoreFiles.MAX_LIVE_PERCENT, "most of it is free: " + live + " %");

    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8, MB);
        MongoClient client = MongoClients.create(store.connectionString())) {
      long after = Files.size(file());
      assertTrue(after * 2 < before, "compacted from " + before + " to " + after);
      MongoCollection<Document> things = things(client);
      assertEquals(40L, await(things.countDocuments()));
      Document seventh = await(things.find(Filters.eq("_id", "t7")).first());
      assertEquals(7, seventh.getInteger("k"));
      assertEquals("2".repeat(16_000), seventh.getString("blob"));
      assertEquals("t39", await(things.find(Filters.eq("k", 39)).first()).getString("_id"));
      assertEquals("t0", await(things.find().sort(Sorts.ascending("k")).first()).getString("_id"));
      EmbeddedStoreTest.assertDuplicate(things, new Document("_id", "t5"));
      EmbeddedStoreTest.assertDuplicate(things, new Document("_id", "new").append("k", 5));
      await(things.insertOne(new Document("_id", "t40").append("k", 40)));
    }
    assertFalse(Files.exists(dir.resolve("parley.mv.db.compacting")));
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8, MB);
        MongoClient client = MongoClients.create(store.connectionString())) {
      assertEquals(41L, await(things(client).countDocuments()), "what was written after compacting is kept");
    }
  }

  @Test
  void aFileMostlyInUseIsLeftAsItIs() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8, Long.MAX_VALUE);
        MongoClient client = MongoClients.create(store.connectionString())) {
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < 400; i++) docs.add(new Document("_id", "t" + i).append("blob", "a".repeat(16_000)));
      await(things(client).insertMany(docs));
    }
    long before = Files.size(file());
    int live = StoreFiles.livePercent(file());
    assertTrue(live > StoreFiles.MAX_LIVE_PERCENT, live + " %");

    assertEquals(null, StoreFiles.compactIfSparse(file(), MB));
    assertEquals(before, Files.size(file()));
  }

  @Test
  void aSmallFileIsLeftAsItIsHoweverFreeItIs() throws Exception {
    writeThenDeleteMost();
    long before = Files.size(file());
    assertEquals(null, StoreFiles.compactIfSparse(file(), before + 1));
    assertEquals(before, Files.size(file()));
  }

  @Test
  void aCopyLeftByAStartThatStoppedWhileCompactingIsRemovedAndTheFileUsed() throws Exception {
    writeThenDeleteMost();
    Path partial = dir.resolve("parley.mv.db.compacting");
    Files.write(partial, new byte[4096]);
    long before = Files.size(file());

    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8, Long.MAX_VALUE);
        MongoClient client = MongoClients.create(store.connectionString())) {
      assertFalse(Files.exists(partial));
      assertEquals(40L, await(things(client).countDocuments()));
    }
    assertTrue(Files.size(file()) >= before * 9 / 10, "not compacted below its minimum size");
  }

  @Test
  void whereNoCopyCanBeMadeTheFileIsUsedAsItWas() throws Exception {
    writeThenDeleteMost();
    Path blocked = Files.createDirectories(dir.resolve("parley.mv.db.compacting/in-the-way"));
    long before = Files.size(file());

    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8, MB);
        MongoClient client = MongoClients.create(store.connectionString())) {
      assertEquals(40L, await(things(client).countDocuments()));
    }
    assertTrue(Files.isDirectory(blocked));
    assertTrue(Files.size(file()) >= before * 9 / 10, "left as it was");
  }
}
