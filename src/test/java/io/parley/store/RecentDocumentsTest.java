package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parley.support.Fixtures;
import io.parley.support.TestParley;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Documents kept for a moment, and what a reader builds from them built once per read. */
class RecentDocumentsTest {
  static TestParley parley;
  static Fixtures db;
  static Store store;

  @BeforeAll
  static void start() {
    parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false", "conversation.enabled", "false"),
        java.time.Clock.systemUTC());
    db = new Fixtures(parley);
    store = parley.parley().app().store();
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  private final AtomicInteger built = new AtomicInteger();
  private final Function<Document, String> greeting = doc -> {
    built.incrementAndGet();
    return "hello " + doc.getString("name");
  };

  @Test
  void whatIsBuiltFromADocumentIsBuiltOnceWhileTheDocumentIsKept() throws Exception {
    db.insert(Collections.CHANNELS, new Document("_id", "kept").append("name", "Anna"));
    RecentDocuments recent = new RecentDocuments(new DocumentStore(store, Collections.CHANNELS), Duration.ofHours(1));
    String first = get(recent.derived("kept", greeting));
    db.update(Collections.CHANNELS, "kept", new Document("$set", new Document("name", "Boris")));
    assertSame(first, get(recent.derived("kept", greeting)));
    assertEquals("hello Anna", first);
    assertEquals(1, built.get());
    assertEquals("Anna", get(recent.find("kept")).getString("name"), "the document is kept as read");
  }

  @Test
  void aDocumentReadAgainIsBuiltFromAgain() throws Exception {
    db.insert(Collections.CHANNELS, new Document("_id", "reread").append("name", "Anna"));
    RecentDocuments recent = new RecentDocuments(new DocumentStore(store, Collections.CHANNELS), Duration.ZERO);
    assertEquals("hello Anna", get(recent.derived("reread", greeting)));
    db.update(Collections.CHANNELS, "reread", new Document("$set", new Document("name", "Boris")));
    assertEquals("hello Boris", get(recent.derived("reread", greeting)));
    assertEquals(2, built.get());
  }

  @Test
  void nothingIsBuiltForAMissingDocumentAndAFailedBuildKeepsNothing() throws Exception {
    RecentDocuments recent = new RecentDocuments(new DocumentStore(store, Collections.CHANNELS), Duration.ofHours(1));
    assertNull(get(recent.derived("missing", greeting)));
    assertNull(get(recent.derived(null, greeting)));
    assertEquals(0, built.get());

    db.insert(Collections.CHANNELS, new Document("_id", "broken").append("name", "Anna"));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> get(recent.derived("broken", doc -> {
      built.incrementAndGet();
      throw new IllegalArgumentException("cannot build");
    })));
    assertEquals("cannot build", failed.getCause().getMessage());
    assertEquals("hello Anna", get(recent.derived("broken", greeting)), "the next reader builds it");
    assertEquals(2, built.get());
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
