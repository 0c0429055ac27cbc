package io.parley.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.connection.TransportSettings;
import com.sun.management.OperatingSystemMXBean;
import io.parley.support.TestDirs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What one dialogue write costs through each MongoDB driver the stack allows, against the embedded store:
 * the reactive-streams driver as Parley uses it (Netty transport, results back on the caller's Vert.x context
 * through {@link Rx}), and the synchronous driver called on Vert.x worker threads ({@code executeBlocking}),
 * the way it would have to be used off the event loop. Both run the write the router makes for each message:
 * a {@code findOneAndUpdate} by {@code _id} that counts the message, pushes it into the dialogue's last-20
 * context and returns the dialogue without it. {@code concurrency} chains (default 32, the conversations
 * bench's contacts) each wait for their write before the next; the modes alternate {@code rounds} times.
 * Usage: {@code bench/driver.sh [concurrency windowSeconds warmupSeconds rounds]} (default 32 15 20 2).
 */
public final class DriverBench {
  private static final int HISTORY = 20;

  public static void main(String[] args) throws Exception {
    int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path dir = TestDirs.create("parley-driver-bench");
    EmbeddedMongo store = EmbeddedMongo.start(dir, "127.0.0.1", 0, 64);
    Vertx vertx = Vertx.vertx();
    MongoClientSettings settings = MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(store.connectionString()))
        .transportSettings(TransportSettings.nettyBuilder().build()).build();
    var reactive = com.mongodb.reactivestreams.client.MongoClients.create(settings);
    var sync = com.mongodb.client.MongoClients.create(MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(store.connectionString())).build());
    var reactiveDialogues = reactive.getDatabase("bench").getCollection("dialogues");
    var syncDialogues = sync.getDatabase("bench").getCollection("dialogues");
    List<String> ids = seed(syncDialogues, concurrency);

    System.out.printf("concurrency %d, warm-up %d s, window %d s, cores %d%n", concurrency, warmup, window,
        Runtime.getRuntime().availableProcessors());
    System.out.println("| round | driver | writes/s | CPU (cores) | CPU per write |");
    System.out.println("| --- | --- | ---: | ---: | ---: |");
    for (int round = 1; round <= rounds; round++) {
      report(round, "reactive-streams, Netty, on the event loop", run(vertx, ids, warmup, window,
          id -> Rx.first(reactiveDialogues.findOneAndUpdate(Filters.eq("_id", id), change(), options()))));
      report(round, "synchronous, on worker threads", run(vertx, ids, warmup, window,
          id -> vertx.executeBlocking(() -> syncDialogues.findOneAndUpdate(Filters.eq("_id", id), change(), options()), false)));
    }
    reactive.close();
    sync.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    store.close();
  }

  interface Write {
    Future<Document> apply(String dialogueId);
  }

  record Result(double perSecond, double cores) {}

  private static List<String> seed(com.mongodb.client.MongoCollection<Document> dialogues, int n) {
    dialogues.drop();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Document> recent = new ArrayList<>();
      for (int j = 0; j < HISTORY; j++) {
        recent.add(new Document("author", j % 2 == 0 ? "contact" : "ai").append("text", "Message " + j + " of a dialogue, a sentence long."));
      }
      String id = "dialogue-" + i;
      dialogues.insertOne(new Document("_id", id).append("task", "task-1").append("channel", "channel-1")
          .append("contact", "contact-" + i).append("manager", "manager-1").append("state", "open").append("origin", "incoming")
          .append("inSeq", 0L).append("answeredSeq", 0L).append("recent", recent).append("createdAt", new Date())
          .append("fields", new Document("name", "Dana")));
      ids.add(id);
    }
    return ids;
  }

  private static Bson change() {
    return Updates.combine(Updates.inc("inSeq", 1L), Updates.set("lastInAt", new Date()),
        Updates.pushEach("recent", List.of(new Document("author", "contact").append("text", "Another message, a sentence long.")),
            new PushOptions().slice(-HISTORY)));
  }

  private static FindOneAndUpdateOptions options() {
    return new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(Projections.exclude("recent", "fields"));
  }

  /** {@code ids.size()} chains of writes on one event loop, counted over {@code window} seconds after {@code warmup}. */
  private static Result run(Vertx vertx, List<String> ids, int warmup, int window, Write write) throws Exception {
    LongAdder done = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(ids.size());
    Context context = vertx.getOrCreateContext();
    for (String id : ids) context.runOnContext(v -> chain(id, write, done, stop, stopped));
    TimeUnit.SECONDS.sleep(warmup); // the JIT settles before the window
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long n0 = done.sum();
    long t0 = System.nanoTime();
    TimeUnit.SECONDS.sleep(window); // the measured window itself, in wall time
    long n1 = done.sum();
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    stop.set(true);
    stopped.await(30, TimeUnit.SECONDS);
    double seconds = (t1 - t0) / 1e9;
    return new Result((n1 - n0) / seconds, (cpu1 - cpu0) / 1e9 / seconds);
  }

  private static void chain(String id, Write write, LongAdder done, AtomicBoolean stop, CountDownLatch stopped) {
    write.apply(id).onComplete(ar -> {
      if (ar.failed()) {
        ar.cause().printStackTrace();
        stopped.countDown();
        return;
      }
      done.increment();
      if (stop.get()) stopped.countDown();
      else chain(id, write, done, stop, stopped);
    });
  }

  private static void report(int round, String driver, Result r) {
    System.out.printf("| %d | %s | %,.0f | %.2f | %.0f µs |%n", round, driver, r.perSecond(), r.cores(),
        r.cores() * 1e6 / r.perSecond());
  }

  private DriverBench() {}
}
