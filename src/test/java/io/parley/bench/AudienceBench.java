package io.parley.bench;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.parley.support.GeneratedLines;
import io.parley.support.TestParley;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.bson.Document;

/**
 * Times audience uploads of generated lines through Parley's HTTP API, next to two baselines measured
 * in the same run: the same bytes sent to an endpoint that discards them, and raw {@code insertMany} of
 * as many documents into the same embedded store. Run by {@code bench/audience.sh}; not a test.
 * Arguments: sizes (100000,1000000), platforms (whatsapp,web), and {@code no-baselines} to skip those.
 */
public final class AudienceBench {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private record Result(String name, int lines, long nanos, long peakHeapBytes, long liveHeapBytes, String note) {
    double perLineMicros() {
      return nanos / 1000.0 / lines;
    }

    String row() {
      return String.format("| %-26s | %,9d | %8.2f s | %,10.0f | %7.2f µs | %,6d MiB | %,5d MiB | %s |", name, lines,
          nanos / 1e9, lines / (nanos / 1e9), perLineMicros(), peakHeapBytes >> 20, liveHeapBytes >> 20, note);
    }
  }

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {100_000, 1_000_000};
    List<String> types = args.length > 1 ? List.of(args[1].split(",")) : List.of("whatsapp", "web");
    boolean baselines = args.length <= 2 || !args[2].equals("no-baselines");
    List<Result> results = new ArrayList<>();
    try (TestParley parley = TestParley.start(TestParley.tempDir(), Map.of(), Clock.systemUTC())) {
      String token = parley.token("marketer");
      HttpServer discard = discardingServer(parley.parley().app().vertx());
      for (int n : sizes) {
        if (baselines) {
          results.add(measure("discard endpoint (raw HTTP)", n, () -> post(discard.actualPort(), "/", null, n, AudienceBench::phone)));
          results.add(measure("raw insertMany", n, () -> rawInsert(parley.parley().app(), n)));
        }
        for (String type : types) {
          String task = task(parley.parley().app(), type);
          IntFunction<String> line = type.equals("whatsapp") ? AudienceBench::phone : AudienceBench::webId;
          results.add(measure("Parley upload, " + type, n,
              () -> post(parley.port(), "/api/tasks/" + task + "/audience", token, n, line)));
        }
      }
    }
    print(results, sizes, baselines);
  }

  static String phone(int i) {
    return "+7 912 " + String.format("%07d", i) + "\n";
  }

  static String webId(int i) {
    return "visitor-" + i + "@example.org\n";
  }

  private interface Run {
    String run() throws Exception;
  }

  private static Result measure(String name, int lines, Run run) throws Exception {
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long started = System.nanoTime();
    String note = run.run();
    long nanos = System.nanoTime() - started;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    System.gc(); // what stays reachable once the run is over: a leak would show here, garbage would not
    long live = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    Result r = new Result(name, lines, nanos, peak, live, note);
    System.out.println(r.row());
    return r;
  }

  private static String post(int port, String path, String token, int lines, IntFunction<String> line) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofMinutes(10)).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedLines(lines, line)));
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("upload failed: " + r.statusCode() + " " + r.body());
    return r.body().length() > 120 ? r.body().substring(0, 120) : r.body();
  }

  private static HttpServer discardingServer(Vertx vertx) throws Exception {
    return vertx.createHttpServer().requestHandler(req -> {
      long[] bytes = {0};
      req.handler(b -> bytes[0] += b.length());
      req.endHandler(v -> req.response().end("{\"bytes\":" + bytes[0] + "}"));
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Documents of the audience's shape, inserted batch after batch as the import does, without HTTP or parsing. */
  private static String rawInsert(App app, int n) throws Exception {
    MongoCollection<Document> c = app.store().collection("bench_raw_" + n);
    int batch = app.config().audienceBatchSize();
    String task = Ids.newId();
    Date now = new Date();
    for (int i = 0; i < n; i += batch) {
      List<Document> docs = new ArrayList<>(batch);
      for (int j = i; j < Math.min(n, i + batch); j++) {
        String address = "+7912" + String.format("%07d", j);
        docs.add(new Document("_id", task + ":" + address).append("task", task).append("address", address)
            .append("kind", "phone").append("fields", new Document()).append("state", "pending")
            .append("reason", null).append("line", (long) j + 1).append("seq", (long) j + 1).append("addedAt", now));
      }
      await(Rx.done(c.insertMany(docs, new InsertManyOptions().ordered(false))));
    }
    return "batches of " + batch;
  }

  private static String task(App app, String type) throws Exception {
    String id = Ids.newId();
    await(Rx.done(app.store().collection(Collections.TASKS).insertOne(new Document("_id", id)
        .append("name", "bench").append("type", type).append("format", "incoming_outgoing")
        .append("status", "awaiting"))));
    return id;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  private static void print(List<Result> results, int[] sizes, boolean baselines) {
    System.out.println();
    System.out.println("| run | lines | time | lines/s | per line | peak heap | live heap after | answer |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    results.forEach(r -> System.out.println(r.row()));
    if (sizes.length < 2) return;
    System.out.println();
    for (String name : results.stream().map(Result::name).distinct().toList()) {
      Result small = find(results, name, sizes[0]);
      Result large = find(results, name, sizes[sizes.length - 1]);
      System.out.printf("per-line time %,d vs %,d lines, %s: %.2fx%n", large.lines(), small.lines(), name,
          large.perLineMicros() / small.perLineMicros());
    }
    for (int n : baselines ? sizes : new int[0]) {
      Result raw = find(results, "raw insertMany", n);
      for (Result r : results) {
        if (r.lines() == n && r.name().startsWith("Parley")) {
          System.out.printf("%s / raw insertMany at %,d lines: %.2fx%n", r.name(), n, (double) r.nanos() / raw.nanos());
        }
      }
    }
  }

  private static Result find(List<Result> results, String name, int lines) {
    return results.stream().filter(r -> r.name().equals(name) && r.lines() == lines).findFirst().orElseThrow();
  }

  /** A body generated while it is read: the bench never holds an upload in memory either. */
}
