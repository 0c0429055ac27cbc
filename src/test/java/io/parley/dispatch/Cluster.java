package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.parley.support.ChildParley;
import io.parley.support.FakeReceiver;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

/**
 * Parley processes as separate JVMs sharing one MongoDB-wire server that lives in the test JVM (so it
 * survives their deaths), with one web-channel receiver on 127.0.0.1 that records every delivery.
 */
final class Cluster implements AutoCloseable {
  static final String ADMIN = "pk_cluster_admin_token";
  static final String SECRET = StandardWebhooks.newSecret();

  final Path workDir;
  final MongoServer mongo;
  final String mongoUri;
  final MongoClient client;
  final MongoDatabase db;
  final Vertx vertx = Vertx.vertx();
  final FakeReceiver receiver;

  Cluster(Path workDir) {
    this.workDir = workDir;
    this.mongo = new MongoServer(new H2Backend(workDir.resolve("shared.mv.db").toString()));
    InetSocketAddress addr = mongo.bind();
    this.mongoUri = "mongodb://127.0.0.1:" + addr.getPort();
    this.client = MongoClients.create(mongoUri);
    this.db = client.getDatabase("parley");
    this.receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(SECRET, Clock.systemUTC()))
        .answer("/in/*", ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{}"));
    await(receiver.start(vertx));
  }

  /** A Parley JVM on its own HTTP port, started and listening. */
  Node start(Map<String, String> extra) {
    int port = freePort();
    Map<String, String> env = new HashMap<>(Map.of("PARLEY_MONGO_URI", mongoUri, "PARLEY_HTTP_PORT", String.valueOf(port),
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_ADMIN_TOKEN", ADMIN, "PARLEY_DISPATCH_LEASE_SECONDS", "3",
        "PARLEY_DISPATCH_REFRESH_SECONDS", "1", "PARLEY_DISPATCH_IDLE_RECHECK_SECONDS", "1"));
    env.putAll(extra);
    ChildParley child = ChildParley.start(workDir, env);
    child.awaitLine(l -> l.contains("Parley is listening"), Duration.ofSeconds(60));
    return new Node(child, new Http(port));
  }

  record Node(ChildParley process, Http http) {}

  /** Sets up, through {@code http}, {@code channels} web channels and a running task on all of them. */
  Setup campaign(Http http, int channels, int targets, int dailyLimit) {
    String marketer = http.post("/api/tokens", ADMIN, new JsonObject().put("name", "m").put("role", "marketer"))
        .json().getString("token");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      ids.add(created(http, marketer, "/api/channels", new JsonObject().put("type", "web").put("name", "c" + i)
          .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in/" + i)).put("secret", SECRET))));
    }
    String manager = created(http, marketer, "/api/managers", new JsonObject().put("name", "Anna"));
    String ai = created(http, marketer, "/api/ai-profiles", new JsonObject().put("name", "Bot")
        .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Thanks")));
    JsonArray audience = new JsonArray();
    for (int i = 1; i <= targets; i++) audience.add("target-" + i);
    String task = created(http, marketer, "/api/tasks", new JsonObject().put("name", "crash").put("type", "web")
        .put("format", "incoming_outgoing").put("channels", new JsonArray(ids)).put("managers", new JsonArray().add(manager))
        .put("ai", ai).put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", dailyLimit).put("pauseBetweenDialogues", 3)
        .put("openingMessage", new JsonObject().put("text", "Hi {{address}}")).put("audience", audience));
    assertEquals(200, http.post("/api/tasks/" + task + "/start", marketer, null).status());
    return new Setup(marketer, ids, task);
  }

  record Setup(String marketer, List<String> channels, String task) {}

  private static String created(Http http, String token, String path, JsonObject body) {
    Http.Response r = http.post(path, token, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  /** Deliveries per channel (each channel has its own receiver path). */
  Map<String, Integer> deliveriesByPath() {
    Map<String, Integer> counts = new HashMap<>();
    receiver.deliveries().forEach(d -> counts.merge(d.path(), 1, Integer::sum));
    return counts;
  }

  /** Deliveries per recipient. */
  Map<String, Integer> deliveriesByRecipient() {
    Map<String, Integer> counts = new HashMap<>();
    receiver.deliveries().forEach(d -> counts.merge(d.body().getString("to"), 1, Integer::sum));
    return counts;
  }

  List<Document> find(String collection, Document filter) {
    return Fixtures.all(db.getCollection(collection).find(filter));
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    mongo.shutdownNow();
    await(vertx.close());
  }
}
