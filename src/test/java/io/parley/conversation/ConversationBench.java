package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.sun.management.OperatingSystemMXBean;
import io.parley.config.ParleyConfig;
import io.parley.dispatch.DispatchBench;
import io.parley.store.BatchedWrites;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.bson.Document;

/**
 * Conversations end to end (run by {@code bench/conversations.sh}, not by the test suite): contacts write to
 * a web channel's signed webhook, Parley routes each message, the scripted responder answers, the reply is
 * POSTed to a receiver on 127.0.0.1 and stored. Each contact writes again as soon as its reply arrives
 * (a closed loop of {@code contacts} conversations). The baseline, in the same run and JVM, is a bare Vert.x
 * server that verifies the same webhook, and POSTs a signed reply with no Parley logic. Both stay up: after
 * the first pair of windows, later rounds measure one right after the other ({@code bench.rounds}).
 */
public final class ConversationBench {
  /** The contacts' side: sends signed webhooks, receives replies, measures each round trip. */
  static final class Load {
    final Vertx vertx;
    final WebClient client;
    final StandardWebhooks signer;
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    final AtomicLong replies = new AtomicLong();
    final AtomicLong seq = new AtomicLong();
    volatile String webhookUrl;
    volatile boolean running = true;
    volatile boolean measuring;
    /** Who a contact's slot in the closed loop writes as next, once its reply arrived (the soak rotates them). */
    volatile UnaryOperator<String> next = UnaryOperator.identity();

    Load(Vertx vertx, StandardWebhooks signer) {
      this.vertx = vertx;
      this.signer = signer;
      // each connection is held until the webhook's answer, which waits for a save: -Dbench.connections=N
      this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(Integer.getInteger("bench.connections", 64)));
    }

    void write(String contact) {
      if (!running) return;
      Buffer body = new JsonObject().put("from", contact).put("text", "hello " + seq.incrementAndGet())
          .put("id", "b-" + seq.get()).toBuffer();
      var request = client.postAbs(webhookUrl).putHeader("Content-Type", "application/json");
      signer.sign(StandardWebhooks.newMessageId(), body.getBytes()).asMap().forEach(request::putHeader);
      sentAt.put(contact, System.nanoTime());
      request.sendBuffer(body).onComplete(ar -> {
        if (ar.failed() || ar.result().statusCode() != 200) {
          System.err.println("webhook failed: " + (ar.failed() ? ar.cause() : ar.result().statusCode()));
        }
      });
    }

    void replied(String contact) {
      Long t0 = sentAt.remove(contact);
      if (t0 == null) return;
      if (measuring) {
        latencies.add(System.nanoTime() - t0);
        replies.incrementAndGet();
      }
      write(next.apply(contact));
    }
  }

  public static void main(String[] args) throws Exception {
    int contacts = arg(args, 0, 32);
    int window = arg(args, 1, 20);
    int warmup = arg(args, 2, 120);
    System.out.printf("contacts %d (closed loop), warm-up %d s, window %d s, cores %d, collector %s%n", contacts, warmup,
        window, Runtime.getRuntime().availableProcessors(), DispatchBench.collectors());
    String secret = StandardWebhooks.newSecret();
    Vertx loadVertx = Vertx.vertx();
    StandardWebhooks signer = StandardWebhooks.forSecret(secret, Clock.systemUTC());
    Load load = new Load(loadVertx, signer);
    HttpServer receiver = loadVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      req.response().putHeader("Content-Type", "application/json").end("{}");
      load.replied(body.toJsonObject().getString("to"));
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String receiverUrl = "http://127.0.0.1:" + receiver.actualPort() + "/in";

    System.out.println("| run | replies/s | p50 | p99 | CPU (cores) |");
    System.out.println("| --- | --- | --- | --- | --- |");
    Vertx bareVertx = Vertx.vertx();
    String bareUrl = baseline(bareVertx, signer, receiverUrl);
    Result bare = run(load, bareUrl, "base-", contacts, window, warmup, null);
    System.out.println(bare.row("bare Vert.x (verify, parse, signed POST)"));
    // -Dbench.floor=1,3,3+3: the baseline with the least store work a stored design does (see floor())
    for (String floors : System.getProperty("bench.floor", "").split(",")) {
      if (floors.isBlank()) continue;
      Floor shape = Floor.parse(floors.trim());
      Result floor = floor(load, signer, receiverUrl, contacts, window, warmup, shape);
      System.out.println(floor.row("bare Vert.x + " + shape));
      System.out.printf("%s / baseline: %.1f%%%n", shape, 100.0 * floor.rate() / bare.rate());
    }
    Map<String, String> config = new HashMap<>(Map.of("dispatch.enabled", "false", "conversation.burstWindowMillis", "0"));
    // -Dbench.store=process: the same embedded store in a JVM of its own, as a MongoDB server would be
    Process store = "process".equals(System.getProperty("bench.store")) ? DispatchBench.storeProcess(config) : null;
    try (TestParley parley = TestParley.start(TestParley.tempDir(), config, Clock.systemUTC())) {
      String parleyUrl = parley(parley, secret, receiverUrl);
      Result first = run(load, parleyUrl, "contact-", contacts, window, warmup, store);
      System.out.println(first.row("Parley (route, store, scripted reply, POST, store)"));
      System.out.printf("Parley / baseline: %.1f%%%n", 100.0 * first.rate() / bare.rate());
      // -Dbench.rounds=N (default 3): N-1 more rounds, each a baseline window then a Parley window right after it, on
      // servers already warm, so both sides of a ratio see the host as it was within the same minute
      int rounds = Integer.getInteger("bench.rounds", 3);
      List<Double> ratios = new ArrayList<>(List.of(first.rate() / bare.rate()));
      List<Double> rates = new ArrayList<>(List.of(first.rate()));
      for (int round = 2; round <= rounds; round++) {
        Result b = run(load, bareUrl, "base-", contacts, window, SETTLE_SECONDS, null);
        Result p = run(load, parleyUrl, "contact-", contacts, window, SETTLE_SECONDS, store);
        System.out.println(b.row("round " + round + ": bare Vert.x"));
        System.out.println(p.row("round " + round + ": Parley"));
        System.out.printf("round %d: Parley / baseline: %.1f%%%n", round, 100.0 * p.rate() / b.rate());
        ratios.add(p.rate() / b.rate());
        rates.add(p.rate());
      }
      if (rounds > 1) {
        System.out.printf("median of %d rounds: Parley %.0f replies/s, Parley / baseline %.1f%%%n", rounds, median(rates),
            100.0 * median(ratios));
      }
    } finally {
      DispatchBench.stopStore(store);
    }
    bareVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    loadVertx.close();
    System.exit(0);
  }

  /** How long the load runs on a warm server before a later round's window opens (the switch from the other one). */
  private static final int SETTLE_SECONDS = 10;

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Starts the baseline's server on {@code vertx}; its webhook's address. */
  private static String baseline(Vertx vertx, StandardWebhooks signer, String receiverUrl) throws Exception {
    WebClient out = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      signer.verify(body.getBytes(), req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
          req.getHeader("webhook-signature"));
      JsonObject in = body.toJsonObject();
      req.response().putHeader("Content-Type", "application/json").end("{\"status\":\"accepted\"}");
      reply(out, signer, receiverUrl, "d", in.getString("from"));
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort() + "/webhooks";
  }

  /**
   * A floor's store work per message: {@code grouped} single-document writes grouped the way Parley groups
   * them ({@link BatchedWrites}), and {@code single} commands of their own, one after the other, each answered
   * with the document, as Parley's routing and burst claim are.
   */
  private record Floor(int grouped, int single) {
    static Floor parse(String text) {
      String[] parts = text.split("\\+");
      Floor floor = new Floor(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
      if ((floor.grouped() != 1 && floor.grouped() != 3) || floor.single() < 0) {
        throw new IllegalArgumentException("a floor is 1 or 3 grouped writes, then +M single commands: " + text);
      }
      return floor;
    }

    @Override
    public String toString() {
      return grouped + " grouped store write" + (grouped == 1 ? "" : "s")
          + (single == 0 ? "" : " and " + single + " single find-and-modify") + " per message";
    }
  }

  /**
   * The least a design that stores what it answers can do, as a second yardstick: the baseline's server plus
   * store work on the embedded store, through the driver. The contact's message is inserted (grouped) before
   * the webhook's 200. With {@code grouped} 3, the reply is inserted too and a small per-contact dialogue
   * document counts both. Each of {@code single} commands, before the reply leaves, changes that document and
   * returns it. No lookup of a dialogue, no context, event, save or metric: everything else Parley does is
   * left out.
   */
  private static Result floor(Load load, StandardWebhooks signer, String receiverUrl, int contacts, int window,
      int warmup, Floor shape) throws Exception {
    Path dir = TestParley.tempDir();
    Vertx vertx = Vertx.vertx();
    try (Store store = Store.open(ParleyConfig.withOverrides(Map.of("data.dir", dir.toString(), "embedded.port", "0")))) {
      BatchedWrites messages = store.batched("messages");
      BatchedWrites dialogues = store.batched("dialogues");
      var dialogueCollection = store.collection("dialogues");
      WebClient out = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
      HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        signer.verify(body.getBytes(), req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
            req.getHeader("webhook-signature"));
        JsonObject in = body.toJsonObject();
        String from = in.getString("from");
        Date now = new Date();
        messages.insert(new Document("_id", in.getString("id")).append("contact", from).append("direction", "in")
            .append("text", in.getString("text")).append("at", now)).compose(stored -> {
          req.response().putHeader("Content-Type", "application/json").end("{\"status\":\"accepted\"}");
          Future<Document> chain = Future.succeededFuture();
          for (int i = 0; i < shape.single(); i++) {
            chain = chain.compose(d -> Rx.first(dialogueCollection.findOneAndUpdate(Filters.eq("_id", from),
                Updates.inc("single", 1), new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER))));
          }
          return chain;
        }).onSuccess(d -> {
          reply(out, signer, receiverUrl, from, from);
          if (shape.grouped() < 3) return;
          messages.insert(new Document("_id", in.getString("id") + "-reply").append("contact", from)
              .append("direction", "out").append("text", "Thanks!").append("at", now));
          dialogues.upsert(Filters.eq("_id", from), Updates.combine(Updates.inc("in", 1), Updates.inc("out", 1),
              Updates.set("lastAt", now)));
        }).onFailure(Throwable::printStackTrace);
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return run(load, "http://127.0.0.1:" + server.actualPort() + "/webhooks", "floor" + shape.grouped() + "-"
          + shape.single() + "-", contacts, window, warmup, null);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The baseline's and the floors' reply: a signed POST of {@code {dialogueId, to, text}} to the receiver. */
  private static void reply(WebClient out, StandardWebhooks signer, String receiverUrl, String dialogueId, String to) {
    Buffer reply = new JsonObject().put("dialogueId", dialogueId).put("to", to).put("text", "Thanks!").toBuffer();
    var request = out.postAbs(receiverUrl).putHeader("Content-Type", "application/json");
    signer.sign(StandardWebhooks.newMessageId(), reply.getBytes()).asMap().forEach(request::putHeader);
    request.sendBuffer(reply);
  }

  /** Sets up a web channel, a scripted profile and a running incoming task in {@code parley}; the channel's webhook. */
  static String parley(TestParley parley, String secret, String receiverUrl) {
    Http http = parley.http();
    String channel = created(http, "/api/channels", new JsonObject().put("type", "web").put("name", "bench")
        .put("settings", new JsonObject().put("callbackUrl", receiverUrl).put("secret", secret)));
    String manager = created(http, "/api/managers", new JsonObject().put("name", "Anna").put("persona", "Brief"));
    String ai = created(http, "/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("pattern", "price").put("reply", "It is free.")))
            .put("fallback", "Thanks, {{manager}} here!")));
    String task = created(http, "/api/tasks", new JsonObject().put("name", "bench").put("type", "web")
        .put("format", "incoming").put("channels", new JsonArray().add(channel)).put("managers", new JsonArray().add(manager))
        .put("ai", ai).put("spendLimitPerDialogue", "1"));
    http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null);
    return "http://127.0.0.1:" + parley.port() + "/webhooks/web/" + channel;
  }

  /** Runs the closed loop; {@code store}, the store's own process if it has one, has its CPU measured too. */
  private static Result run(Load load, String url, String prefix, int contacts, int window, int warmup, Process store)
      throws Exception {
    load.webhookUrl = url;
    load.latencies.clear();
    load.replies.set(0);
    load.measuring = false;
    load.running = true;
    load.sentAt.clear();
    for (int i = 0; i < contacts; i++) {
      String contact = prefix + i;
      load.vertx.runOnContext(v -> load.write(contact));
    }
    TimeUnit.SECONDS.sleep(warmup);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long storeCpu0 = DispatchBench.cpuNanos(store);
    long t0 = System.nanoTime();
    load.measuring = true;
    TimeUnit.SECONDS.sleep(window);
    load.measuring = false;
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / seconds;
    double storeCpu = store == null ? Double.NaN : (DispatchBench.cpuNanos(store) - storeCpu0) / 1e9 / seconds;
    load.running = false;
    TimeUnit.SECONDS.sleep(1);
    List<Long> sorted = new ArrayList<>(load.latencies);
    Collections.sort(sorted);
    return new Result(load.replies.get() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), cpu, storeCpu);
  }

  /** {@code storeCpu}: the cores the store's own process used, NaN when the store ran in this JVM. */
  private record Result(double rate, double p50, double p99, double cpu, double storeCpu) {
    String row(String name) {
      String cores = Double.isNaN(storeCpu) ? String.format("%.2f", cpu)
          : String.format("%.2f + store process %.2f", cpu, storeCpu);
      return String.format("| %s | %.0f | %.1f ms | %.1f ms | %s |", name, rate, p50, p99, cores);
    }
  }

  static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1));
    return sorted.get(i) / 1e6;
  }

  private static String created(Http http, String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    if (r.status() != 201) throw new IllegalStateException(path + ": " + r);
    return r.json().getString("id");
  }

  static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

}
