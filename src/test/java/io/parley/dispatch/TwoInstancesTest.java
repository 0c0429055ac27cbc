package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Two Parley processes on one store: channels split between them, no duplicates, limits held, takeover. */
class TwoInstancesTest {
  @Test
  void channelsAreSharedAndTakenOverWhenAnInstanceDies() {
    try (Cluster cluster = new Cluster(TestParley.tempDir())) {
      Cluster.Node a = cluster.start(Map.of());
      Cluster.Node b = cluster.start(Map.of());
      Cluster.Setup setup = cluster.campaign(a.http(), 6, 400, 30);
      Set<String> owners = Poll.until("both instances to hold leases", Duration.ofSeconds(30),
          () -> owners(cluster), o -> o.size() == 2);
      assertEquals(2, owners.size());
      Poll.until("some dialogues", Duration.ofSeconds(30), () -> cluster.receiver.deliveries().size(), n -> n >= 6);

      String victim = leaseOwner(cluster, setup.channels().get(0));
      Cluster.Node dying = ownerIsA(cluster, a, victim) ? a : b;
      Cluster.Node survivor = dying == a ? b : a;
      List<String> victimChannels = channelsOf(cluster, victim);
      long killedAt = System.nanoTime();
      dying.process().kill();
      Poll.until("the survivor to hold every lease", Duration.ofSeconds(20),
          () -> owners(cluster), o -> o.size() == 1 && !o.contains(victim));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      assertTrue(takeover.compareTo(Duration.ofSeconds(3 + 2)) <= 0, "taken over within the lease time: " + takeover);
      int before = cluster.receiver.deliveries().size();
      Poll.until("the victim's channels to send again", Duration.ofSeconds(20),
          () -> sentOn(cluster, setup.task(), victimChannels), n -> n > 0 && cluster.receiver.deliveries().size() > before);
      survivor.process().terminate(Duration.ofSeconds(30));

      cluster.deliveriesByRecipient().forEach((to, n) -> assertEquals(1, n, to + " got " + n + " messages"));
      cluster.deliveriesByPath().forEach((channel, n) -> assertTrue(n <= 30, channel + " opened " + n));
    }
  }

  static Set<String> owners(Cluster cluster) {
    Set<String> owners = new HashSet<>();
    cluster.find(Collections.LEASES, new Document()).forEach(d -> {
      if (d.getDate("expiresAt").toInstant().isAfter(java.time.Instant.now())) owners.add(d.getString("owner"));
    });
    return owners;
  }

  static String leaseOwner(Cluster cluster, String channel) {
    return cluster.find(Collections.LEASES, new Document("_id", channel)).get(0).getString("owner");
  }

  static List<String> channelsOf(Cluster cluster, String owner) {
    return cluster.find(Collections.LEASES, new Document("owner", owner)).stream().map(d -> d.getString("_id")).toList();
  }

  /** Which node is {@code owner}: the one whose log says it dispatches the owner's first channel. */
  static boolean ownerIsA(Cluster cluster, Cluster.Node a, String owner) {
    String channel = channelsOf(cluster, owner).get(0);
    return a.process().output().contains("Dispatching channel " + channel + " on this process");
  }

  static long sentOn(Cluster cluster, String task, List<String> channels) {
    long since = System.currentTimeMillis() - 5000;
    return cluster.find(Collections.AUDIENCE, new Document("task", task).append("state", "sent")).stream()
        .filter(d -> channels.contains(d.getString("channel")))
        .filter(d -> d.getDate("finishedAt") != null && d.getDate("finishedAt").getTime() > since).count();
  }
}
