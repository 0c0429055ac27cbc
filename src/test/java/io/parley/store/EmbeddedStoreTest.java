package io.parley.store;

import static io.parley.support.Fixtures.await;
import static io.parley.support.Fixtures.future;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.parley.config.ParleyConfig;
import io.parley.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.SingleFileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's own formats (documents as BSON, index keys compared directly) through the real
 * driver: what goes in comes back, a store written by the plain H2 backend is taken over, and saving pages
 * while documents change never breaks the store.
 */
class EmbeddedStoreTest {
  @TempDir
  Path dir;

  @Test
  void documentsOfEveryKindComeBackAfterARestart() throws Exception {
    ObjectId oid = new ObjectId();
    List<Document> docs = List.of(
        new Document("_id", "task:+79120000001").append("n", 1).append("big", 1L << 40).append("x", 2.5)
            .append("at", Date.from(Instant.parse("2026-11-23T10:15:30.123Z"))).append("cost", Decimal128.parse("0.0042"))
            .append("ok", true).append("none", null).append("tags", List.of("a", "b", new Document("deep", List.of(1, 2)))),
        new Document("_id", 42L).append("text", "Привет, мир ✓"),
        new Document("_id", oid).append("nested", new Document("a", new Document("b", "c"))),
        new Document("_id", new Document("channel", "c1").append("contact", "@ann")).append("v", 1));
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      await(client.getDatabase("p").getCollection("things").insertMany(docs));
    }
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> things = client.getDatabase("p").getCollection("things");
      for (Document doc : docs) assertEquals(doc, await(things.find(Filters.eq("_id", doc.get("_id"))).first()));
      assertEquals(4L, await(things.countDocuments()));
      MongoWriteException duplicate = assertDuplicate(things, new Document("_id", 42L));
      assertEquals(11000, duplicate.getCode());
      assertDuplicate(things, new Document("_id", 42));
    }
  }

  /**
   * H2 saves on a thread of its own, so a save can fall between a document and its {@code _id} entry, and a
   * kill then leaves the document in the file without it: not found by {@code _id}, and refused as an unknown
   * error (not a duplicate key) when written again. The next start finds the store was not closed, and
   * rebuilds its indexes from its documents.
   */
  @Test
  void aStoreLeftOpenByAKillHasItsIndexesRebuiltFromItsDocuments() throws Exception {
    Path mark = dir.resolve(EmbeddedMongo.OPEN_MARK);
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      assertTrue(Files.exists(mark), "marked open while it is");
      await(client.getDatabase("p").getCollection("things").createIndex(new Document("n", 1), new IndexOptions().unique(true)));
      await(client.getDatabase("p").getCollection("things").insertMany(List.of(new Document("_id", "a").append("n", 1),
          new Document("_id", "b").append("n", 2), new Document("_id", "c").append("n", 3))));
    }
    assertFalse(Files.exists(mark), "closed, so no longer marked open");
    // the file as a save between "b" and its _id entry, then a kill, leave it
    MVStore mv = new MVStore.Builder().fileName(dir.resolve("parley.mv.db").toString()).open();
    removeEntry(mv, "_id_", "b");
    removeEntry(mv, "n_1", 3.0); // and "c"'s entry in the unique index on n (its numbers are kept as doubles)
    mv.close();
    Files.writeString(mark, "");

    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> things = client.getDatabase("p").getCollection("things");
      assertEquals(2, await(things.find(Filters.eq("_id", "b")).first()).getInteger("n"));
      assertEquals(11000, assertDuplicate(things, new Document("_id", "b")).getCode());
      assertEquals(11000, assertDuplicate(things, new Document("_id", "x").append("n", 3)).getCode(), "n's index rebuilt too");
      assertEquals(List.of("a", "b", "c"), Fixtures.all(things.find().sort(new Document("_id", 1))).stream()
          .map(d -> d.getString("_id")).toList());
      await(things.insertOne(new Document("_id", "d")));
    }
    assertFalse(Files.exists(mark));
  }

  /**
   * A save Parley waits for is forced to the disk, so what it acknowledged outlives a power cut; with {@code
   * embedded.sync=false} (not the default) it is only written to the file. Either way a kill loses none of it.
   */
  @Test
  void eachSaveIsSyncedToTheDiskUnlessTurnedOff() throws Exception {
    assertTrue(ParleyConfig.withOverrides(Map.of()).embeddedSync());
    assertFalse(ParleyConfig.withOverrides(Map.of("embedded.sync", "false")).embeddedSync());
    for (boolean sync : List.of(true, false)) {
      Path data = dir.resolve("sync-" + sync);
      AtomicInteger syncs = new AtomicInteger();
      try (EmbeddedMongo store = EmbeddedMongo.start(data, "127.0.0.1", 0, 8, StoreFiles.MIN_BYTES, sync, f -> watched(f, syncs));
          MongoClient client = MongoClients.create(store.connectionString())) {
        MongoCollection<Document> things = client.getDatabase("p").getCollection("things");
        for (int n = 1; n <= 3; n++) {
          await(things.insertOne(new Document("_id", n)));
          int before = syncs.get();
          store.commit();
          assertEquals(sync ? before + 1 : before, syncs.get(), "save " + n + ", sync " + sync);
        }
        store.commit(); // nothing left to write: H2's own save may have written it, unsynced
        assertEquals(sync ? 4 : 0, syncs.get(), "sync " + sync);
      }
      try (EmbeddedMongo store = EmbeddedMongo.start(data, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
        assertEquals(3L, await(client.getDatabase("p").getCollection("things").countDocuments()));
      }
    }
  }

  /** The store's file, opened so that {@code syncs} counts the times it is forced to the disk. */
  private static MVStore.Builder watched(Path file, AtomicInteger syncs) {
    SingleFileStore files = new SingleFileStore(new HashMap<>()) {
      @Override
      public void sync() {
        syncs.incrementAndGet();
        super.sync();
      }
    };
    files.open(file.toString(), false, null);
    return new MVStore.Builder().adoptFileStore(files);
  }

  /** Removes the entry of {@code key} from the index {@code index} of the collection "things". */
  private static void removeEntry(MVStore mv, String index, Object key) {
    String name = mv.getMapNames().stream()
        .filter(n -> n.contains("things") && n.contains(index) && n.endsWith(EmbeddedDatabase.INDEX_SUFFIX)).findFirst().orElseThrow();
    MVMap<KeyValue, Object> entries = mv.openMap(name, new MVMap.Builder<KeyValue, Object>().keyType(KeyValueType.INSTANCE));
    assertNotNull(entries.remove(entries.keySet().stream().filter(k -> key.equals(k.get(0))).findFirst().orElseThrow()));
  }

  @Test
  void aStoreWrittenByThePlainH2BackendIsTakenOverOnFirstOpening() throws Exception {
    Path file = dir.resolve("parley.mv.db");
    H2Backend plain = new H2Backend(file.toString());
    MongoServer server = new MongoServer(plain);
    server.bind("127.0.0.1", 0);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 500; i++) docs.add(new Document("_id", "t1:" + i).append("seq", (long) i).append("state", "pending"));
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
      await(client.getDatabase("parley").getCollection("audience").insertMany(docs));
    }
    server.shutdownNow();
    plain.close();

    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> audience = client.getDatabase("parley").getCollection("audience");
      assertEquals(500L, await(audience.countDocuments()));
      assertEquals(docs.get(321), await(audience.find(Filters.eq("_id", "t1:321")).first()));
      assertEquals("pending", await(audience.findOneAndUpdate(Filters.eq("_id", "t1:7"), Updates.set("state", "sent"))).getString("state"));
      assertEquals("sent", await(audience.find(Filters.eq("_id", "t1:7")).first()).getString("state"));
      assertDuplicate(audience, new Document("_id", "t1:499"));
    }
    MVStore raw = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    try {
      Set<String> maps = raw.getMapNames();
      assertTrue(maps.contains("databases.parley.audience" + EmbeddedDatabase.DATA_SUFFIX), maps.toString());
      assertTrue(maps.contains("parley.audience._index__id_" + EmbeddedDatabase.INDEX_SUFFIX), maps.toString());
      assertFalse(maps.contains("databases.parley.audience"), maps.toString());
      assertFalse(maps.contains("parley.audience._index__id_"), maps.toString());
    } finally {
      raw.close();
    }
  }

  /**
   * Updates change the documents H2 may be saving at that moment on its own thread; a store that handed
   * out its stored instances failed here with a ConcurrentModificationException and then refused all writes.
   */
  @Test
  void documentsChangingWhileTheStoreSavesPagesNeverBreakIt() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> tasks = client.getDatabase("p").getCollection("tasks");
      Document wide = new Document("_id", "task").append("counter", 0L);
      for (int i = 0; i < 300; i++) wide.append("field" + i, "value " + i);
      await(tasks.insertOne(wide));
      AtomicBoolean saving = new AtomicBoolean(true);
      Thread saver = new Thread(() -> {
        while (saving.get()) store.commit();
      });
      saver.start();
      int updates = 3000;
      List<CompletableFuture<Document>> inFlight = new ArrayList<>();
      try {
        for (int i = 0; i < updates; i++) {
          inFlight.add(future(tasks.updateOne(Filters.eq("_id", "task"),
              Updates.combine(Updates.inc("counter", 1L), Updates.set("field" + (i % 300), "changed " + i), Updates.unset("gone" + i),
                  Updates.set("gone" + (i + 1), i)))).thenApply(r -> (Document) null));
          if (inFlight.size() == 16) {
            for (CompletableFuture<Document> f : inFlight) f.get(30, TimeUnit.SECONDS);
            inFlight.clear();
          }
        }
        for (CompletableFuture<Document> f : inFlight) f.get(30, TimeUnit.SECONDS);
      } finally {
        saving.set(false);
        saver.join();
      }
      Document after = await(tasks.find(Filters.eq("_id", "task")).first());
      assertNotNull(after);
      assertEquals((long) updates, after.getLong("counter"));
      assertEquals(updates - 1, after.getInteger("gone" + updates));
      await(tasks.insertOne(new Document("_id", "still-writable")));
    }
  }

  @Test
  void aConditionalQueryByIdReadsOneDocumentAndStillMatchesEveryCondition() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> dialogues = client.getDatabase("p").getCollection("dialogues");
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < 200; i++) docs.add(new Document("_id", "d" + i).append("state", i % 2 == 0 ? "open" : "closed").append("seq", (long) i));
      docs.add(new Document("_id", 7L).append("state", "open"));
      await(dialogues.insertMany(docs));

      long before = EmbeddedCollection.scans();
      assertEquals("d4", await(dialogues.find(Filters.and(Filters.eq("_id", "d4"), Filters.eq("state", "open"))).first()).get("_id"));
      assertEquals(null, await(dialogues.find(Filters.and(Filters.eq("_id", "d5"), Filters.eq("state", "open"))).first()));
      assertEquals(null, await(dialogues.find(Filters.and(Filters.eq("_id", "d404"), Filters.eq("state", "open"))).first()));
      assertEquals(7L, await(dialogues.find(Filters.and(Filters.eq("_id", 7), Filters.eq("state", "open"))).first()).get("_id"));
      Document claimed = await(dialogues.findOneAndUpdate(Filters.and(Filters.eq("_id", "d6"), Filters.eq("state", "open"),
          Filters.not(Filters.gte("claim", 6L))), Updates.set("claim", 6L), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
      assertEquals(6L, claimed.get("claim"));
      assertEquals(null, await(dialogues.findOneAndUpdate(Filters.and(Filters.eq("_id", "d6"), Filters.not(Filters.gte("claim", 6L))),
          Updates.set("claim", 6L))), "a second claim of the same number finds nothing");
      assertEquals(0L, await(dialogues.updateOne(Filters.and(Filters.eq("_id", "d8"), Filters.eq("state", "closed")),
          Updates.set("x", 1))).getMatchedCount());
      assertEquals(1L, await(dialogues.updateOne(Filters.and(Filters.eq("_id", "d9"), Filters.eq("state", "closed"),
          Filters.lt("seq", 10L)), Updates.set("x", 1))).getModifiedCount());
      assertEquals(before, EmbeddedCollection.scans(), "no conditional query by _id read the whole collection");

      assertEquals(100L, await(dialogues.countDocuments(Filters.eq("state", "closed"))));
      assertTrue(EmbeddedCollection.scans() > before, "a query without _id is still a scan, and counted");
      assertEquals(1, await(dialogues.find(Filters.eq("x", 1)).first()).getInteger("x"));
    }
  }

  static MongoWriteException assertDuplicate(MongoCollection<Document> collection, Document doc) {
    try {
      await(collection.insertOne(doc));
    } catch (IllegalStateException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof MongoWriteException w && w.getCode() == 11000) return w;
      }
      throw e;
    }
    throw new AssertionError("inserting " + doc + " twice was accepted");
  }
}
