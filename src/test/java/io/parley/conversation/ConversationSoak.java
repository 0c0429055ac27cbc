package io.parley.conversation;

import com.sun.management.OperatingSystemMXBean;
import io.parley.dispatch.DispatchBench;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStoreTool;

/**
 * The conversations bench's load on Parley alone, for a long time (run by {@code bench/soak.sh}, not by the test
 * suite): what a heavy day does to the embedded store's file and to the heap. Each of {@code slots} closed-loop
 * slots writes as the next of a pool of {@code contacts} contacts once its reply arrived, so dialogues pile up as a
 * campaign's do and each contact comes back to its own. Every {@code every} seconds a row: the rate and latency of
 * that interval, the process's CPU, the heap in use after the last collection, the file's size and the messages
 * stored so far (two per reply), and what the process wrote to the disk in that interval ({@code /proc/self/io}).
 * {@code -Dsoak.cacheMb=N} sets the embedded store's page cache ({@code embedded.cacheMb}). At the end Parley is closed and the file compacted into a copy, whose size is what
 * the data needs: the rest of the file is space the store had not reclaimed.
 */
public final class ConversationSoak {
  private ConversationSoak() {}

  public static void main(String[] args) throws Exception {
    int slots = ConversationBench.arg(args, 0, 32);
    int minutes = ConversationBench.arg(args, 1, 20);
    int every = ConversationBench.arg(args, 2, 60);
    int pool = Math.max(slots, ConversationBench.arg(args, 3, 20_000) / slots * slots); // slots never share a contact
    System.out.printf("slots %d (closed loop) over %d contacts, %d min, a row every %d s, cores %d, collector %s%n", slots,
        pool, minutes, every, Runtime.getRuntime().availableProcessors(), DispatchBench.collectors());
    String secret = StandardWebhooks.newSecret();
    Vertx loadVertx = Vertx.vertx();
    StandardWebhooks signer = StandardWebhooks.forSecret(secret, Clock.systemUTC());
    ConversationBench.Load load = new ConversationBench.Load(loadVertx, signer);
    load.next = contact -> "soak-" + ((Integer.parseInt(contact.substring("soak-".length())) + slots) % pool);
    HttpServer receiver = loadVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      req.response().putHeader("Content-Type", "application/json").end("{}");
      load.replied(body.toJsonObject().getString("to"));
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String receiverUrl = "http://127.0.0.1:" + receiver.actualPort() + "/in";

    Path dataDir = TestParley.tempDir();
    Path file = dataDir.resolve("parley.mv.db");
    long total = 0;
    long started = System.nanoTime();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, String> config = new HashMap<>(Map.of("dispatch.enabled", "false", "conversation.burstWindowMillis", "0"));
    if (System.getProperty("soak.cacheMb") != null) config.put("embedded.cacheMb", System.getProperty("soak.cacheMb"));
    System.out.println("embedded.cacheMb " + config.getOrDefault("embedded.cacheMb", "(default)"));
    try (TestParley parley = TestParley.start(dataDir, config, Clock.systemUTC())) {
      load.webhookUrl = ConversationBench.parley(parley, secret, receiverUrl);
      System.out.println("| minute | replies/s | p50 | p99 | CPU (cores) | heap after GC | file | written | messages stored |");
      System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      load.measuring = true;
      for (int i = 0; i < slots; i++) {
        String contact = "soak-" + i;
        loadVertx.runOnContext(v -> load.write(contact));
      }
      long end = started + TimeUnit.MINUTES.toNanos(minutes);
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        long replies0 = load.replies.get();
        long written0 = writtenBytes();
        TimeUnit.SECONDS.sleep(every);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long replies = load.replies.get() - replies0;
        total += replies;
        List<Long> sorted = new ArrayList<>();
        for (Long l; (l = load.latencies.poll()) != null; ) sorted.add(l);
        Collections.sort(sorted);
        System.out.printf("| %.1f | %.0f | %.1f ms | %.1f ms | %.2f | %d MB | %d MB | %.1f MB/s | %,d |%n",
            (System.nanoTime() - started) / 60e9, replies / seconds, ConversationBench.percentile(sorted, 0.50),
            ConversationBench.percentile(sorted, 0.99), (os.getProcessCpuTime() - cpu0) / 1e9 / seconds, heapAfterGc() >> 20,
            Files.size(file) >> 20, (writtenBytes() - written0) / seconds / (1 << 20), 2 * total);
      }
      load.running = false;
      TimeUnit.SECONDS.sleep(2);
    }
    long closed = Files.size(file);
    Path compacted = dataDir.resolve("compacted.mv.db");
    long t0 = System.nanoTime();
    MVStoreTool.compact(file.toString(), compacted.toString(), false);
    System.out.printf("closed: file %d MB; compacted into a copy in %.0f s: %d MB (what the data needs)%n", closed >> 20,
        (System.nanoTime() - t0) / 1e9, Files.size(compacted) >> 20);
    loadVertx.close();
    System.exit(0);
  }

  /** What this process has had written to the disk so far ({@code write_bytes}), in bytes; 0 where Linux's counters are missing. */
  private static long writtenBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("write_bytes:")) return Long.parseLong(line.substring("write_bytes:".length()).trim());
      }
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** The heap in use after each pool's last collection (what survives), in bytes. */
  private static long heapAfterGc() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (after != null) used += after.getUsed();
    }
    return used;
  }
}
