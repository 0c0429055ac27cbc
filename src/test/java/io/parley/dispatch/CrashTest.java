package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.parley.store.Collections;
import io.parley.store.EmbeddedMongo;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Parley killed with SIGKILL at random moments while it sends, and restarted each time: no contact ever
 * gets two messages, no entry vanishes, no channel passes its daily limit.
 */
class CrashTest {
  static final int CHANNELS = 12;
  static final int TARGETS = 120;
  static final int DAILY_LIMIT = 7;
  static final Set<String> FINAL_STATES = Set.of("sent", "failed", "skipped", "unknown", "pending");

  @Test
  void killedWhileSendingNothingTwiceNothingLost() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (Cluster cluster = new Cluster(TestParley.tempDir())) {
      Cluster.Node node = cluster.start(Map.of());
      Cluster.Setup setup = cluster.campaign(node.http(), CHANNELS, TARGETS, DAILY_LIMIT);
      for (int kill = 0; kill < 4; kill++) {
        long wait = 1500 + random.nextInt(2500);
        LockSupport.parkNanos(Duration.ofMillis(wait).toNanos()); // let it send for a random while
        node.process().kill();
        node = cluster.start(Map.of());
      }
      int capacity = CHANNELS * DAILY_LIMIT;
      Poll.until("every channel to use its daily allowance", Duration.ofSeconds(90),
          () -> usedSlots(cluster), used -> used >= capacity);
      // no dialogue may open past the limit, however long it keeps running
      LockSupport.parkNanos(Duration.ofSeconds(4).toNanos());
      Poll.until("no claim in flight", Duration.ofSeconds(30),
          () -> cluster.find(Collections.AUDIENCE, new Document("state", "sending")).size(), n -> n == 0);
      node.process().terminate(Duration.ofSeconds(30));

      String context = "seed " + seed;
      java.util.Map<String, Long> states = new java.util.TreeMap<>();
      cluster.find(Collections.AUDIENCE, new Document("task", setup.task()))
          .forEach(e -> states.merge(e.getString("state"), 1L, Long::sum));
      System.out.println("crash test: " + context + ", deliveries " + cluster.receiver.deliveries().size() + ", states " + states);
      cluster.deliveriesByRecipient().forEach((to, n) -> assertEquals(1, n, to + " got " + n + " messages; " + context));
      List<Document> entries = cluster.find(Collections.AUDIENCE, new Document("task", setup.task()));
      assertEquals(TARGETS, entries.size(), "no entry vanished; " + context);
      for (Document e : entries) {
        assertTrue(FINAL_STATES.contains(e.getString("state")), e.toJson());
        boolean delivered = cluster.deliveriesByRecipient().containsKey(e.getString("address"));
        if (e.getString("state").equals("sent")) assertTrue(delivered, "a sent entry was delivered: " + e.toJson());
        if (delivered) {
          assertTrue(Set.of("sent", "unknown").contains(e.getString("state")),
              "a delivered entry is sent, or unknown when the process died around the send: " + e.toJson());
        }
        if (e.getString("state").equals("unknown")) assertEquals(TargetClaims.INTERRUPTED, e.getString("reason"));
      }
      cluster.deliveriesByPath().forEach((channel, n) ->
          assertTrue(n <= DAILY_LIMIT, channel + " opened " + n + " dialogues, over its limit; " + context));
      assertTrue(cluster.receiver.deliveries().size() <= capacity, "never more dialogues than the limits allow");
    }
  }

  /**
   * The same on Parley's own embedded store, which dies with the process: a claim the store acknowledged but
   * never saved would make a target pending again after the restart, and its contact would get a second
   * opening. Checked from the receiver's side and, once the last process stopped, from the store's file.
   */
  @Test
  void killedOnItsEmbeddedStoreNothingTwice() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path data = TestParley.tempDir().resolve("data");
    Map<String, String> embedded = Map.of("PARLEY_MONGO_URI", "", "PARLEY_DATA_DIR", data.toString());
    // Room for every target and more: a kill interrupts sends that keep their slots (some a slot given back
    // after a kill's last save), and the kills wait for sends, so every target must be able to end.
    int dailyLimit = 2 * TARGETS / CHANNELS;
    try (Cluster cluster = new Cluster(TestParley.tempDir())) {
      Cluster.Node node = cluster.start(embedded);
      Cluster.Setup setup = cluster.campaign(node.http(), CHANNELS, TARGETS, dailyLimit);
      for (int kill = 0; kill < 6; kill++) {
        LockSupport.parkNanos(Duration.ofMillis(1000 + random.nextInt(1500)).toNanos());
        // just after an opening left: its claim is the newest write, the one a kill would lose unsaved (each
        // kill also leaves the openings claimed ahead unknown, so the targets may run out before six)
        int before = cluster.receiver.deliveries().size();
        Http http = node.http();
        Cluster.Node running = node;
        boolean sending;
        try {
          sending = Poll.until("an opening to leave, or none left to send", Duration.ofSeconds(30),
              () -> cluster.receiver.deliveries().size() > before ? 1 : finished(http, setup) >= TARGETS ? 0 : -1, r -> r >= 0) == 1;
        } catch (AssertionError stuck) {
          throw new AssertionError(stuck.getMessage() + "; " + http.get("/api/tasks/" + setup.task(), setup.marketer()).json()
              .getJsonObject("progress") + "; the process's output:\n" + running.process().output(), stuck);
        }
        if (!sending) break;
        node.process().kill();
        node = cluster.start(embedded);
      }
      Http http = node.http();
      Poll.until("every target sent, or unknown where a kill interrupted it", Duration.ofSeconds(90),
          () -> finished(http, setup), done -> done >= TARGETS);
      LockSupport.parkNanos(Duration.ofSeconds(4).toNanos()); // nothing more may leave, however long it runs
      node.process().terminate(Duration.ofSeconds(30));

      String context = "seed " + seed;
      System.out.println("crash test on the embedded store: " + context + ", deliveries " + cluster.receiver.deliveries().size());
      cluster.deliveriesByRecipient().forEach((to, n) -> assertEquals(1, n, to + " got " + n + " messages; " + context));
      cluster.deliveriesByPath().forEach((channel, n) ->
          assertTrue(n <= dailyLimit, channel + " opened " + n + " dialogues, over its limit; " + context));
      try (EmbeddedMongo store = EmbeddedMongo.start(data, "127.0.0.1", 0, 8);
          MongoClient client = MongoClients.create(store.connectionString())) {
        List<Document> entries = Fixtures.all(client.getDatabase("parley").getCollection(Collections.AUDIENCE)
            .find(new Document("task", setup.task())));
        assertEquals(TARGETS, entries.size(), "no entry vanished; " + context);
        for (Document e : entries) {
          if (cluster.deliveriesByRecipient().containsKey(e.getString("address"))) {
            assertTrue(Set.of("sent", "unknown").contains(e.getString("state")),
                "a delivered entry is sent, or unknown when the process died around the send: " + e.toJson());
          } else {
            assertTrue(!e.getString("state").equals("sent"), "a sent entry was delivered: " + e.toJson());
          }
        }
      }
    }
  }

  /** The task's targets that are done with: sent, unknown (interrupted) or failed, as its progress counts them. */
  private static long finished(Http http, Cluster.Setup setup) {
    JsonObject progress = http.get("/api/tasks/" + setup.task(), setup.marketer()).json().getJsonObject("progress");
    return progress.getLong("sent") + progress.getLong("unknown") + progress.getLong("failed");
  }

  static int usedSlots(Cluster cluster) {
    return cluster.find(Collections.CHANNEL_DAYS, new Document()).stream().mapToInt(d -> d.getInteger("count")).sum();
  }
}
