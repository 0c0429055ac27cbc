package io.parley.store;

import static io.parley.support.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-document updates by operators, which the embedded store applies its own way ({@link
 * EmbeddedCollection}), through the real driver: they answer as the server does (counts, documents before and
 * after, projections, refusals), change nothing an earlier version holds, survive a restart, and leave the
 * updates they do not take to the server.
 */
class EmbeddedUpdatesTest {
  @TempDir
  Path dir;

  private static Document dialogue(String id) {
    List<Document> recent = new ArrayList<>();
    for (int i = 0; i < 3; i++) recent.add(new Document("author", "contact").append("text", "m" + i));
    return new Document("_id", id).append("state", "open").append("inSeq", 3L).append("recent", recent)
        .append("fields", new Document("name", "Ann")).append("lastMessage", new Document("text", "m2"));
  }

  private static FindOneAndUpdateOptions after() {
    return new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
  }

  @Test
  void oneDocumentUpdatesAnswerAsTheServerDoesAndAreKept() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> dialogues = client.getDatabase("p").getCollection("dialogues");
      await(dialogues.insertMany(List.of(dialogue("d1"), dialogue("d2"))));
      long lean = EmbeddedCollection.leanUpdates();

      Document counted = await(dialogues.findOneAndUpdate(Filters.and(Filters.eq("_id", "d1"), Filters.eq("state", "open"),
              Filters.eq("inSeq", 3L)),
          Updates.combine(Updates.inc("inSeq", 1L), Updates.set("claim", 4L),
              Updates.pushEach("recent", List.of(new Document("author", "contact").append("text", "m3")), new PushOptions().slice(-3))),
          after().projection(Projections.exclude("recent", "fields"))));
      assertEquals(new Document("_id", "d1").append("state", "open").append("inSeq", 4L)
          .append("lastMessage", new Document("text", "m2")).append("claim", 4L), counted, "after, without what was left out");
      assertEquals(List.of("_id", "state", "inSeq", "lastMessage", "claim"), new ArrayList<>(counted.keySet()),
          "fields keep their order, a new one comes last");

      Document before = await(dialogues.findOneAndUpdate(Filters.eq("_id", "d1"), Updates.set("state", "human")));
      assertEquals("open", before.getString("state"), "the document as it was");
      assertEquals(List.of("m1", "m2", "m3"), texts(before));
      Document picked = await(dialogues.findOneAndUpdate(Filters.eq("_id", "d1"), Updates.set("state", "human"),
          after().projection(Projections.include("inSeq", "state"))));
      assertEquals(new Document("_id", "d1").append("inSeq", 4L).append("state", "human"), picked, "_id, then the named fields");
      assertNull(await(dialogues.findOneAndUpdate(Filters.and(Filters.eq("_id", "d1"), Filters.eq("state", "open")),
          Updates.set("claim", 5L))), "no match, no document");

      UpdateResult changed = await(dialogues.updateOne(Filters.eq("_id", "d2"), Updates.max("inSeq", 7L)));
      assertEquals(1L, changed.getMatchedCount());
      assertEquals(1L, changed.getModifiedCount());
      UpdateResult same = await(dialogues.updateOne(Filters.eq("_id", "d2"), Updates.max("inSeq", 5L)));
      assertEquals(1L, same.getMatchedCount());
      assertEquals(0L, same.getModifiedCount(), "an update that changes nothing modifies nothing");
      UpdateResult none = await(dialogues.updateOne(Filters.eq("_id", "d404"), Updates.set("x", 1)));
      assertEquals(0L, none.getMatchedCount());
      UpdateResult upserted = await(dialogues.updateOne(Filters.eq("_id", "d3"), Updates.inc("inSeq", 1L), new UpdateOptions().upsert(true)));
      assertEquals("d3", upserted.getUpsertedId().asString().getValue());
      assertEquals(0L, await(dialogues.countDocuments(Filters.eq("_id", "d404"))));
      assertEquals(lean + 5, EmbeddedCollection.leanUpdates(), "the five updates that found their document took the store's own way");
    }
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> dialogues = client.getDatabase("p").getCollection("dialogues");
      Document d1 = await(dialogues.find(Filters.eq("_id", "d1")).first());
      assertEquals("human", d1.getString("state"));
      assertEquals(4L, d1.getLong("inSeq"));
      assertEquals(List.of("m1", "m2", "m3"), texts(d1));
      assertEquals(7L, await(dialogues.find(Filters.eq("_id", "d2")).first()).getLong("inSeq"));
      assertEquals(1L, await(dialogues.find(Filters.eq("_id", "d3")).first()).getLong("inSeq"));
    }
  }

  /**
   * An update builds the new version from the stored one; the lists and documents inside are the new
   * version's own, so the version a reader or a save in progress holds never changes.
   */
  @Test
  void aLaterUpdateChangesNothingAnEarlierVersionHolds() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> dialogues = client.getDatabase("p").getCollection("dialogues");
      await(dialogues.insertOne(dialogue("d1")));
      whileSaving(store, () -> {
        for (int i = 3; i < 503; i++) {
          Document was = await(dialogues.findOneAndUpdate(Filters.eq("_id", "d1"), Updates.combine(Updates.inc("inSeq", 1L),
              Updates.set("fields.seen", i), Updates.pushEach("recent", List.of(new Document("author", "contact").append("text", "m" + i)),
                  new PushOptions().slice(-3)))));
          assertEquals(List.of("m" + (i - 3), "m" + (i - 2), "m" + (i - 1)), texts(was), "the version before update " + i);
          assertEquals(i == 3 ? null : i - 1, was.get("fields", Document.class).get("seen"));
        }
      });
      Document now = await(dialogues.find(Filters.eq("_id", "d1")).first());
      assertEquals(503L, now.getLong("inSeq"));
      assertEquals(List.of("m500", "m501", "m502"), texts(now));
      assertEquals(new Document("name", "Ann").append("seen", 502), now.get("fields"));
    }
  }

  /**
   * An update of top-level fields alone builds the new version without copying what it does not change; the
   * lists it changes in place ($addToSet, $pull, $pop) are its own copies, so the version before stays as it was.
   */
  @Test
  void anUpdateOfTopLevelFieldsChangesNothingTheVersionBeforeHolds() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> dialogues = client.getDatabase("p").getCollection("dialogues");
      List<Integer> queue = new ArrayList<>();
      List<Integer> stack = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        queue.add(i);
        stack.add(i);
      }
      await(dialogues.insertOne(dialogue("d1").append("tags", List.of()).append("queue", queue).append("stack", stack)));
      long lean = EmbeddedCollection.leanUpdates();
      whileSaving(store, () -> {
        for (int i = 3; i < 203; i++) {
          Document was = await(dialogues.findOneAndUpdate(Filters.eq("_id", "d1"), Updates.combine(Updates.inc("inSeq", 1L),
              Updates.set("lastMessage", new Document("text", "m" + i)), Updates.addToSet("tags", "t" + i),
              Updates.pull("queue", i - 3), Updates.popFirst("stack"),
              Updates.pushEach("recent", List.of(new Document("author", "contact").append("text", "m" + i)), new PushOptions().slice(-3)))));
          int n = i - 3;
          assertEquals(List.of("m" + n, "m" + (n + 1), "m" + (n + 2)), texts(was), "the version before update " + i);
          assertEquals("m" + (i - 1), was.get("lastMessage", Document.class).getString("text"));
          assertEquals(n, was.getList("tags", String.class).size());
          assertEquals(300 - n, was.getList("queue", Integer.class).size());
          assertEquals(n, was.getList("queue", Integer.class).get(0));
          assertEquals(300 - n, was.getList("stack", Integer.class).size());
        }
      });
      assertEquals(lean + 200, EmbeddedCollection.leanUpdates());
    }
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      Document now = await(client.getDatabase("p").getCollection("dialogues").find(Filters.eq("_id", "d1")).first());
      assertEquals(203L, now.getLong("inSeq"));
      assertEquals(List.of("m200", "m201", "m202"), texts(now));
      assertEquals(200, now.getList("tags", String.class).size());
      assertEquals(List.of(200, 201), now.getList("queue", Integer.class).subList(0, 2));
      assertEquals(100, now.getList("stack", Integer.class).size());
      assertEquals(new Document("name", "Ann"), now.get("fields"), "what no update named is as it was");
    }
  }

  @Test
  void aRefusedUpdateChangesNothing() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> keys = client.getDatabase("p").getCollection("keys");
      await(keys.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true)));
      await(keys.insertMany(List.of(new Document("_id", "a").append("key", "ka").append("n", 1),
          new Document("_id", "b").append("key", "kb").append("n", 1))));

      assertEquals(11000, code(assertThrows(RuntimeException.class,
          () -> await(keys.updateOne(Filters.eq("_id", "a"), Updates.combine(Updates.set("key", "kb"), Updates.inc("n", 1)))))));
      assertEquals(11000, code(assertThrows(RuntimeException.class,
          () -> await(keys.findOneAndUpdate(Filters.eq("_id", "a"), Updates.combine(Updates.set("key", "kb"), Updates.inc("n", 1)))))));
      MongoException conflicting = cause(assertThrows(RuntimeException.class, () -> await(keys.findOneAndUpdate(Filters.eq("_id", "a"),
          Updates.combine(Updates.set("n", 5), Updates.inc("n", 1))))));
      assertEquals(40, conflicting.getCode(), conflicting.getMessage());
      assertEquals(66, code(assertThrows(RuntimeException.class,
          () -> await(keys.updateOne(Filters.eq("_id", "a"), Updates.set("_id", "z"))))), "_id is immutable");

      assertEquals(new Document("_id", "a").append("key", "ka").append("n", 1), await(keys.find(Filters.eq("_id", "a")).first()));
      await(keys.updateOne(Filters.eq("_id", "a"), Updates.set("key", "kc")));
      await(keys.insertOne(new Document("_id", "c").append("key", "ka")));
      assertEquals(11000, code(assertThrows(RuntimeException.class,
          () -> await(keys.insertOne(new Document("_id", "d").append("key", "kc"))))), "the index follows the update");
    }
  }

  @Test
  void updatesTheStoreDoesNotTakeAreTheServers() throws Exception {
    try (EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8); MongoClient client = MongoClients.create(store.connectionString())) {
      MongoCollection<Document> dialogues = client.getDatabase("p").getCollection("dialogues");
      await(dialogues.insertMany(List.of(dialogue("d1"), dialogue("d2"))));
      long lean = EmbeddedCollection.leanUpdates();

      await(dialogues.updateOne(Filters.and(Filters.eq("_id", "d1"), Filters.eq("recent.text", "m1")), Updates.set("recent.$.text", "one")));
      await(dialogues.updateOne(Filters.eq("_id", "d1"), Updates.set("recent.$[x].author", "ai"),
          new UpdateOptions().arrayFilters(List.of(Filters.eq("x.text", "m2")))));
      assertEquals(2L, await(dialogues.updateMany(Filters.eq("state", "open"), Updates.set("state", "closed"))).getModifiedCount());
      await(dialogues.replaceOne(Filters.eq("_id", "d2"), new Document("state", "replaced")));
      Document sliced = await(dialogues.findOneAndUpdate(Filters.eq("_id", "d1"), Updates.inc("inSeq", 1L),
          after().projection(Projections.slice("recent", -1))));
      assertEquals(List.of(new Document("author", "ai").append("text", "m2")), sliced.getList("recent", Document.class),
          "a projection the store does not apply; the positional and array-filtered updates were made");
      assertEquals(List.of("m0", "one", "m2"), texts(await(dialogues.find(Filters.eq("_id", "d1")).first())));
      assertEquals("d1", await(dialogues.findOneAndDelete(Filters.eq("_id", "d1"))).getString("_id"));

      assertEquals(lean, EmbeddedCollection.leanUpdates(), "none of them took the store's own way");
      assertEquals(new Document("_id", "d2").append("state", "replaced"), await(dialogues.find().first()));
      assertEquals(1L, await(dialogues.countDocuments()));
    }
  }

  interface Work {
    void run() throws Exception;
  }

  /** Runs {@code work} while another thread saves the store over and over, as H2's own saves may come at any moment. */
  private static void whileSaving(EmbeddedMongo store, Work work) throws Exception {
    AtomicBoolean saving = new AtomicBoolean(true);
    Thread saver = new Thread(() -> {
      while (saving.get()) store.commit();
    });
    saver.start();
    try {
      work.run();
    } finally {
      saving.set(false);
      saver.join();
    }
  }

  private static List<String> texts(Document dialogue) {
    return dialogue.getList("recent", Document.class).stream().map(m -> m.getString("text")).toList();
  }

  private static MongoException cause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MongoException m) return m;
    }
    throw new AssertionError("no MongoException in", e);
  }

  private static int code(Throwable e) {
    return cause(e).getCode();
  }
}
