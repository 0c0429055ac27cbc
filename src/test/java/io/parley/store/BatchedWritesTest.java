package io.parley.store;

import static io.parley.support.Fixtures.all;
import static io.parley.support.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.support.Poll;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes asked for together go out together, and each still gets its own answer on its own context. */
class BatchedWritesTest {
  @TempDir
  Path dir;

  private EmbeddedMongo store;
  private MongoClient client;
  private Vertx vertx;
  private final AtomicInteger commands = new AtomicInteger();

  @BeforeEach
  void start() {
    store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 8);
    CommandListener counting = new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        if (event.getCommandName().equals("insert") || event.getCommandName().equals("update")) commands.incrementAndGet();
      }
    };
    client = MongoClients.create(MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(store.connectionString())).addCommandListener(counting)
        .applyToClusterSettings(b -> b.serverSelectionTimeout(2, TimeUnit.SECONDS)).build());
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close();
    store.close();
  }

  private MongoCollection<Document> things() {
    return client.getDatabase("p").getCollection("things");
  }

  @Test
  void manyWritersFromSeveralContextsShareCommandsAndEachLearnsWhetherItsDocumentWasNew() throws Exception {
    BatchedWrites writes = new BatchedWrites(things());
    int writers = 4;
    int perWriter = 300;
    ConcurrentLinkedQueue<String> wrongContext = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<int[]>> results = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Context context = vertx.getOrCreateContext();
      CompletableFuture<int[]> result = new CompletableFuture<>();
      results.add(result);
      context.runOnContext(v -> {
        List<Future<Boolean>> mine = new ArrayList<>();
        for (int i = 0; i < perWriter; i++) {
          // Every writer writes the same ids: each id is new for exactly one of them.
          Future<Boolean> fresh = writes.insert(new Document("_id", "d" + i).append("n", i));
          mine.add(fresh.onComplete(ar -> {
            if (Vertx.currentContext() != context) wrongContext.add("d");
          }));
        }
        Future.all(mine).onComplete(ar -> {
          if (ar.failed()) {
            result.completeExceptionally(ar.cause());
            return;
          }
          int[] counts = new int[2];
          for (Future<Boolean> f : mine) counts[f.result() ? 0 : 1]++;
          result.complete(counts);
        });
      });
    }
    int fresh = 0;
    int repeated = 0;
    for (CompletableFuture<int[]> r : results) {
      int[] counts = r.get(30, TimeUnit.SECONDS);
      fresh += counts[0];
      repeated += counts[1];
    }
    assertEquals(perWriter, fresh, "each id new once");
    assertEquals(perWriter * (writers - 1), repeated, "every other write of it answered as a duplicate");
    assertTrue(wrongContext.isEmpty(), "every answer on its caller's context");
    assertEquals(perWriter, all(things().find()).size());
    assertTrue(commands.get() < writers * perWriter / 4, "writes shared commands: " + commands.get());
  }

  @Test
  void aWriteTheStoreRefusesFailsAloneAndUpsertsCreateOrChange() throws Exception {
    await(things().insertOne(new Document("_id", "text").append("n", "not a number")));
    BatchedWrites writes = new BatchedWrites(things());
    CompletableFuture<List<Future<?>>> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<?>> batch = List.of(
          writes.upsert(Filters.eq("_id", "counter"), Updates.inc("n", 1)),
          writes.upsert(Filters.eq("_id", "text"), Updates.inc("n", 1)),
          writes.upsert(Filters.eq("_id", "counter"), Updates.inc("n", 1)),
          writes.insert(new Document("_id", "plain")));
      Future.join(batch).onComplete(ar -> done.complete(batch));
    });
    List<Future<?>> batch = done.get(30, TimeUnit.SECONDS);
    assertTrue(batch.get(0).succeeded());
    assertTrue(batch.get(1).failed());
    MongoWriteException refused = assertInstanceOf(MongoWriteException.class, batch.get(1).cause());
    assertNotEquals(11000, refused.getCode());
    assertFalse(DuplicateKey.is(refused));
    assertTrue(batch.get(2).succeeded());
    assertSame(Boolean.TRUE, batch.get(3).result());
    assertEquals(2, await(things().find(Filters.eq("_id", "counter")).first()).getInteger("n"));
    assertEquals("not a number", await(things().find(Filters.eq("_id", "text")).first()).getString("n"));
  }

  @Test
  void aConditionalUpdateSaysWhetherItAppliedAndItsActionRunsOnlyThenInTheOrderOfTheWrites() throws Exception {
    await(things().insertOne(new Document("_id", "d").append("seq", 1).append("state", "open").append("last", "m1")));
    await(things().insertOne(new Document("_id", "other").append("seq", 7).append("state", "human")));
    BatchedWrites writes = new BatchedWrites(things());
    ConcurrentLinkedQueue<String> actions = new ConcurrentLinkedQueue<>();
    CompletableFuture<List<Future<Boolean>>> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<Boolean>> batch = new ArrayList<>();
      // the first write goes alone; the rest wait for it and then go as one command, in this order
      batch.add(writes.updateIf(Filters.and(Filters.eq("_id", "d"), Filters.eq("seq", 1), Filters.eq("state", "open")),
          Updates.combine(Updates.set("seq", 2), Updates.set("last", "m2")), () -> actions.add("d:1->2")));
      batch.add(writes.updateIf(Filters.and(Filters.eq("_id", "d"), Filters.eq("seq", 1), Filters.eq("state", "open")),
          Updates.combine(Updates.set("seq", 2), Updates.set("last", "again")), () -> actions.add("d:1->2 again")));
      batch.add(writes.updateIf(Filters.and(Filters.eq("_id", "other"), Filters.eq("seq", 7), Filters.eq("state", "open")),
          Updates.set("seq", 8), () -> actions.add("other")));
      batch.add(writes.updateIf(Filters.and(Filters.eq("_id", "nobody"), Filters.eq("seq", 0), Filters.eq("state", "open")),
          Updates.set("seq", 1), () -> actions.add("nobody")));
      batch.add(writes.update(Filters.eq("_id", "d"), Updates.set("last", "m3"), () -> actions.add("d:m3")).map(true));
      batch.add(writes.updateIf(Filters.and(Filters.eq("_id", "d"), Filters.eq("seq", 2), Filters.eq("last", "m3")),
          Updates.set("seq", 3), () -> actions.add("d:2->3")));
      Future.join(new ArrayList<>(batch)).onComplete(ar -> done.complete(batch));
    });
    List<Future<Boolean>> batch = done.get(30, TimeUnit.SECONDS);
    for (Future<Boolean> f : batch) assertTrue(f.succeeded(), String.valueOf(f.cause()));
    assertEquals(Boolean.TRUE, batch.get(0).result(), "the conditions held");
    assertEquals(Boolean.FALSE, batch.get(1).result(), "the count had moved on");
    assertEquals(Boolean.FALSE, batch.get(2).result(), "another state");
    assertEquals(Boolean.FALSE, batch.get(3).result(), "no such document");
    assertEquals(Boolean.TRUE, batch.get(5).result(), "the conditions held after the write before it in the same command");
    assertEquals(List.of("d:1->2", "d:m3", "d:2->3"), List.copyOf(actions), "the applied writes' actions, in their order");
    assertEquals(new Document("_id", "d").append("seq", 3).append("state", "open").append("last", "m3"),
        await(things().find(Filters.eq("_id", "d")).first()));
    assertEquals(new Document("_id", "other").append("seq", 7).append("state", "human"),
        await(things().find(Filters.eq("_id", "other")).first()));
    // what the write for a missing document inserted is removed again: nothing but the two documents remains
    assertEquals(List.of("d", "other"), Poll.until("the inserted document to be removed", Duration.ofSeconds(10),
        () -> all(things().find()).stream().map(d -> d.getString("_id")).sorted().toList(), ids -> ids.size() == 2));
  }

  @Test
  void whenTheStoreIsGoneEveryWaitingWriteFails() throws Exception {
    BatchedWrites writes = new BatchedWrites(things());
    store.close();
    CompletableFuture<List<Future<Boolean>>> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<Boolean>> batch = List.of(writes.insert(new Document("_id", "a")), writes.insert(new Document("_id", "b")));
      Future.join(batch).onComplete(ar -> done.complete(batch));
    });
    for (Future<Boolean> f : done.get(60, TimeUnit.SECONDS)) assertTrue(f.failed());
  }
}
