package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Poll;
import io.parley.support.TestParley;
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

  static int usedSlots(Cluster cluster) {
    return cluster.find(Collections.CHANNEL_DAYS, new Document()).stream().mapToInt(d -> d.getInteger("count")).sum();
  }
}
