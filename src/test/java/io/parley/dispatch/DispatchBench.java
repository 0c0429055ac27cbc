package io.parley.dispatch;

import com.sun.management.OperatingSystemMXBean;
import io.parley.App;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The dispatcher under load (run by {@code bench/dispatch.sh}, not by the test suite): many web channels
 * with the minimum pause, one task, a receiver on 127.0.0.1 in the same JVM. Measures the dialogue rate
 * against the configured one (channels ÷ pause), how far each channel's gaps stray from the pause, the
 * CPU Parley and the receiver use, and the time to claim one target in a small and in a large task.
 */
public final class DispatchBench {
  private record Arrival(int channel, long nanos) {}

  public static void main(String[] args) throws Exception {
    int channels = arg(args, 0, 1000);
    int targets = arg(args, 1, 100_000);
    int window = arg(args, 2, 60);
    int warmup = arg(args, 3, 15);
    int pause = 3;
    System.out.printf("channels %d, targets %d, pause %d s, warm-up %d s, window %d s, cores %d, collector %s%n",
        channels, targets, pause, warmup, window, Runtime.getRuntime().availableProcessors(), collectors());

    Vertx receiverVertx = Vertx.vertx();
    ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    AtomicLong received = new AtomicLong();
    HttpServer receiver = receiverVertx.createHttpServer().requestHandler(req -> {
      long now = System.nanoTime();
      int channel = Integer.parseInt(req.path().substring("/in/".length()));
      arrivals.add(new Arrival(channel, now));
      received.incrementAndGet();
      req.end().onComplete(v -> req.response().putHeader("Content-Type", "application/json").end("{}"));
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Map<String, String> config = new java.util.HashMap<>(Map.of("dispatch.refreshSeconds", "5"));
    // more configuration for an experiment: -Dbench.config=key=value,key=value (e.g. through BENCH_JAVA_OPTS)
    for (String pair : System.getProperty("bench.config", "").split(",")) {
      if (pair.contains("=")) config.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
    }
    if (System.getProperty("bench.config") != null) System.out.println("configuration " + config);
    // -Dbench.store=process: the same embedded store, but in a JVM of its own (as a MongoDB server would be)
    Process store = "process".equals(System.getProperty("bench.store")) ? storeProcess(config) : null;
    try (TestParley parley = TestParley.start(TestParley.tempDir(), config, Clock.systemUTC())) {
      Http http = parley.http();
      String secret = StandardWebhooks.newSecret();
      long setup = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < channels; i++) {
        ids.add(created(http, "/api/channels", new JsonObject().put("type", "web").put("name", "c" + i)
            .put("settings", new JsonObject().put("callbackUrl", "http://127.0.0.1:" + receiver.actualPort() + "/in/" + i)
                .put("secret", secret))));
      }
      String manager = created(http, "/api/managers", new JsonObject().put("name", "Anna"));
      String ai = created(http, "/api/ai-profiles", new JsonObject().put("name", "Bot")
          .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Thanks")));
      String task = created(http, "/api/tasks", new JsonObject().put("name", "bench").put("type", "web")
          .put("format", "incoming_outgoing").put("channels", new JsonArray(ids)).put("managers", new JsonArray().add(manager))
          .put("ai", ai).put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
          .put("dailyLimitPerChannel", 1_000_000).put("pauseBetweenDialogues", pause)
          .put("openingMessage", new JsonObject().put("text", "Hello {{address}}")));
      upload(http, task, targets, "t-");
      System.out.printf("set-up (channels, task, %d targets) %.1f s%n", targets, (System.nanoTime() - setup) / 1e9);

      http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null);
      long started = System.nanoTime();
      sleepUntil(started + TimeUnit.SECONDS.toNanos(warmup));
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long storeCpu0 = cpuNanos(store);
      Map<String, long[]> gc0 = gcTotals();
      long from = System.nanoTime();
      System.err.println("window starts at " + Instant.now() + " (late seconds below count from here)");
      long count0 = received.get();
      sleepUntil(from + TimeUnit.SECONDS.toNanos(window));
      long to = System.nanoTime();
      long count1 = received.get();
      long cpu1 = os.getProcessCpuTime();
      long storeCpu1 = cpuNanos(store);
      Map<String, long[]> gc1 = gcTotals();
      http.post("/api/tasks/" + task + "/pause", TestParley.ADMIN, null);

      double seconds = (to - from) / 1e9;
      double rate = (count1 - count0) / seconds;
      double configured = (double) channels / pause;
      List<Double> deviations = gapDeviations(arrivals, channels, from, to, pause);
      double cpuCores = (cpu1 - cpu0) / 1e9 / seconds;
      System.out.println();
      System.out.println("| measure | value |");
      System.out.println("| --- | ---: |");
      System.out.printf("| configured rate (channels ÷ pause) | %.1f dialogues/s |%n", configured);
      System.out.printf("| achieved rate over %d s | %.1f dialogues/s |%n", window, rate);
      System.out.printf("| achieved ÷ configured | %.1f %% |%n", 100 * rate / configured);
      System.out.printf("| gaps measured | %,d |%n", deviations.size());
      System.out.printf("| \\|gap − pause\\|, p50 | %.1f ms |%n", percentile(deviations, 0.50));
      System.out.printf("| \\|gap − pause\\|, p99 | %.1f ms |%n", percentile(deviations, 0.99));
      System.out.printf("| \\|gap − pause\\|, max | %.1f ms |%n", percentile(deviations, 1.0));
      System.out.printf("| CPU (%s) | %.2f cores of %d |%n", store == null ? "Parley, its store and the receiver" : "Parley and the receiver", cpuCores,
          Runtime.getRuntime().availableProcessors());
      if (store != null) {
        System.out.printf("| CPU (the store's own process) | %.2f cores of %d |%n", (storeCpu1 - storeCpu0) / 1e9 / seconds,
            Runtime.getRuntime().availableProcessors());
      }
      StringBuilder gc = new StringBuilder();
      gc1.forEach((name, after) -> gc.append(gc.length() == 0 ? "" : "; ").append(String.format("%s %d, %,d ms", name,
          after[0] - gc0.getOrDefault(name, new long[2])[0], after[1] - gc0.getOrDefault(name, new long[2])[1])));
      System.out.printf("| collections in the window (per collector bean: count, time) | %s |%n", gc);
      System.out.println();
      System.out.println("seconds of the window with gaps more than 100 ms off: " + lateSeconds(arrivals, channels, from, to, pause));

      claims(parley, http);
    } finally {
      receiverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      stopStore(store);
    }
  }

  /** Stops a store started by {@link #storeProcess} (closing its input ends it); nothing when {@code store} is null. */
  public static void stopStore(Process store) throws Exception {
    if (store == null) return;
    store.getOutputStream().close();
    if (!store.waitFor(10, TimeUnit.SECONDS)) store.destroyForcibly();
  }

  /** Starts {@link io.parley.store.StoreProcess} on a temporary directory and points Parley's {@code mongo.uri} at it. */
  public static Process storeProcess(Map<String, String> config) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx1g"));
    // more JVM options for the store's process: -Dbench.storeJavaOpts="-Xlog:gc:file=..." (space-separated)
    for (String option : System.getProperty("bench.storeJavaOpts", "").split(" +")) {
      if (!option.isBlank()) command.add(option);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.parley.store.StoreProcess", TestParley.tempDir().toString()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("store at ")) throw new IllegalStateException("the store process said: " + line);
    // whatever it prints later goes to the bench's log, so that a full pipe never stops the store
    Thread drain = new Thread(() -> out.lines().forEach(System.err::println), "store-process-output");
    drain.setDaemon(true);
    drain.start();
    config.put("mongo.uri", line.substring("store at ".length()));
    System.out.println("store in its own process (-Xmx1g) at " + config.get("mongo.uri"));
    return p;
  }

  /** CPU time the process has used so far, in ns; 0 without one. */
  /** The JVM's collector, as its beans name it. */
  public static String collectors() {
    return String.join(" + ", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
  }

  public static long cpuNanos(Process p) {
    return p == null ? 0 : p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /**
   * Collections and milliseconds so far, per collector bean of the JVM. G1's beans count pauses; Shenandoah's
   * and ZGC's "Pauses" bean counts their stop-the-world pauses and their "Cycles" bean whole cycles, which
   * run mostly alongside the application.
   */
  private static Map<String, long[]> gcTotals() {
    Map<String, long[]> totals = new TreeMap<>();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      totals.put(gc.getName(), new long[] {Math.max(0, gc.getCollectionCount()), Math.max(0, gc.getCollectionTime())});
    }
    return totals;
  }

  /**
   * When the late dialogues happened: each second of the window (counted from its start) in which some gap
   * strayed more than 100 ms from the pause, with how many did and the worst. Tells a stall from a slope.
   */
  private static String lateSeconds(ConcurrentLinkedQueue<Arrival> arrivals, int channels, long from, long to, int pause) {
    List<List<Long>> perChannel = perChannel(arrivals, channels);
    java.util.TreeMap<Long, double[]> bySecond = new TreeMap<>();
    for (List<Long> times : perChannel) {
      for (int i = 1; i < times.size(); i++) {
        if (times.get(i - 1) < from || times.get(i) > to) continue;
        double off = Math.abs((times.get(i) - times.get(i - 1)) / 1e6 - pause * 1000.0);
        if (off <= 100) continue;
        double[] s = bySecond.computeIfAbsent((times.get(i) - from) / 1_000_000_000L, k -> new double[2]);
        s[0]++;
        s[1] = Math.max(s[1], off);
      }
    }
    if (bySecond.isEmpty()) return "none";
    StringBuilder out = new StringBuilder();
    bySecond.forEach((second, s) -> out.append(String.format("%ds: %d (worst %.0f ms); ", second, (long) s[0], s[1])));
    return out.toString();
  }

  /** Each channel's arrival times, in order. */
  private static List<List<Long>> perChannel(ConcurrentLinkedQueue<Arrival> arrivals, int channels) {
    List<List<Long>> perChannel = new ArrayList<>();
    for (int i = 0; i < channels; i++) perChannel.add(new ArrayList<>());
    for (Arrival a : arrivals) perChannel.get(a.channel()).add(a.nanos());
    perChannel.forEach(Collections::sort);
    return perChannel;
  }

  /** For every channel, |gap between consecutive dialogues − pause|, for gaps inside the window, in ms. */
  private static List<Double> gapDeviations(ConcurrentLinkedQueue<Arrival> arrivals, int channels, long from, long to,
      int pause) {
    List<List<Long>> perChannel = perChannel(arrivals, channels);
    List<Double> deviations = new ArrayList<>();
    for (List<Long> times : perChannel) {
      for (int i = 1; i < times.size(); i++) {
        if (times.get(i - 1) < from || times.get(i) > to) continue;
        double gapMs = (times.get(i) - times.get(i - 1)) / 1e6;
        deviations.add(Math.abs(gapMs - pause * 1000.0));
      }
    }
    Collections.sort(deviations);
    return deviations;
  }

  /** Time to claim one target, in a task of 10,000 and one of 1,000,000 (the store's size must not matter). */
  private static void claims(TestParley parley, Http http) throws Exception {
    App app = parley.parley().app();
    System.out.println();
    System.out.println("| targets in the task | claims timed | per claim | ratio to 10,000 |");
    System.out.println("| ---: | ---: | ---: | ---: |");
    double base = 0;
    for (int size : new int[] {10_000, 1_000_000}) {
      String task = created(http, "/api/tasks", new JsonObject().put("name", "claims " + size).put("type", "web")
          .put("format", "incoming").put("channels", new JsonArray().add(created(http, "/api/channels",
              new JsonObject().put("type", "web").put("name", "x").put("settings",
                  new JsonObject().put("callbackUrl", "http://127.0.0.1:9/x")))))
          .put("managers", new JsonArray().add(created(http, "/api/managers", new JsonObject().put("name", "M"))))
          .put("ai", created(http, "/api/ai-profiles", new JsonObject().put("name", "A")
              .put("scripted", new JsonObject().put("fallback", "ok"))))
          .put("spendLimitPerDialogue", "1"));
      // an incoming task refuses uploads through the API, so its entries are imported as an upload imports them
      importDirect(app, task, size);
      TargetClaims claims = new TargetClaims(app.store());
      int n = 2000;
      // claims are taken only for a running task; this one has no dispatcher (no web channel of its own)
      await(app.vertx().getOrCreateContext().<Void>executeBlocking(() -> null).compose(v -> io.parley.store.Rx.done(
          app.store().collection(io.parley.store.Collections.TASKS).updateOne(new org.bson.Document("_id", task),
              new org.bson.Document("$set", new org.bson.Document("status", "in_progress"))))));
      for (int i = 0; i < 50; i++) await(claims.claimNext(task, "bench", "bench", Instant.now())); // warm-up
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (await(claims.claimNext(task, "bench", "bench", Instant.now())).claim() == null) {
          throw new IllegalStateException("nothing claimed");
        }
      }
      double perClaim = (System.nanoTime() - t0) / 1e6 / n;
      if (base == 0) base = perClaim;
      System.out.printf("| %,d | %,d | %.2f ms | %.2f× |%n", size, n, perClaim, perClaim / base);
    }
  }

  private static void importDirect(App app, String task, int size) throws Exception {
    List<String> lines = new ArrayList<>(size);
    for (int i = 0; i < size; i++) lines.add("c-" + i);
    long t0 = System.nanoTime();
    var report = await(app.vertx().getOrCreateContext().<Void>executeBlocking(() -> null)
        .compose(v -> new io.parley.audience.AudienceImport(app).importLines(task, io.parley.channel.Platform.WEB, lines)));
    System.out.printf("(imported %,d targets in %.1f s: %s)%n", size, (System.nanoTime() - t0) / 1e9, report.accepted());
  }

  private static void upload(Http http, String task, int targets, String prefix) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < targets; i++) body.append(prefix).append(i).append('\n');
    HttpRequest.Builder b = http.builder("/api/tasks/" + task + "/audience", TestParley.ADMIN)
        .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    Http.Response r = http.send(b);
    if (r.status() != 200) throw new IllegalStateException("upload: " + r);
  }

  private static String created(Http http, String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    if (r.status() != 201) throw new IllegalStateException(path + ": " + r);
    return r.json().getString("id");
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  private static void sleepUntil(long deadline) {
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
