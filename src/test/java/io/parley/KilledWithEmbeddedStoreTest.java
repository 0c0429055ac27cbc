package io.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.ChildParley;
import io.parley.support.FakeReceiver;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parley on its embedded store, killed with SIGKILL right after it acknowledged messages and a change made
 * through the API: the store lives and dies with the process, so what it acknowledged must already be in
 * its file. A contact's webhook answered 200 is never sent again by the platform; losing it would lose the
 * message and its reply.
 */
class KilledWithEmbeddedStoreTest {
  private static final Pattern LISTENING = Pattern.compile("Parley is listening on http://localhost:(\\d+)");
  private static final String ADMIN = "pk_killed_embedded_store_admin_token_0123456789";
  private static final int CONTACTS = 30;

  private final String secret = StandardWebhooks.newSecret();
  private Vertx vertx;
  private FakeReceiver receiver;
  /** While set, replies reach the receiver and get no answer: they are on their way when Parley is killed. */
  private volatile boolean holding;

  @BeforeEach
  void startReceiver() throws Exception {
    vertx = Vertx.vertx();
    receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(secret, Clock.systemUTC()))
        .answer("/replies", ctx -> {
          if (!holding) ctx.response().putHeader("Content-Type", "application/json").end("{}");
        });
    receiver.start(vertx).toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void stopReceiver() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void messagesAcknowledgedJustBeforeAKillAreKeptAndAnsweredAfterTheRestart() throws Exception {
    Path dir = TestParley.tempDir();
    // a beat a second: should a burst be claimed before the kill, the restart answers it 3 s after the last beat
    Map<String, String> env = env(dir, Map.of("PARLEY_DISPATCH_ENABLED", "false", "PARLEY_CONVERSATION_HEARTBEAT_SECONDS", "1"));
    String channel;
    String late;
    try (ChildParley first = ChildParley.start(dir, env)) {
      Http http = new Http(port(first));
      channel = campaign(http, "incoming", new JsonArray());
      StandardWebhooks contactSide = StandardWebhooks.forSecret(secret, Clock.systemUTC());
      for (int i = 0; i < CONTACTS; i++) {
        Http.Response r = write(http, contactSide, channel, "contact-" + i, "Hello, what is it about?");
        assertEquals(200, r.status(), r.toString());
        assertEquals("accepted", r.json().getString("status"));
      }
      // and a change made through the API a moment before the kill: its 201 means it is kept
      late = created(http, "/api/managers", new JsonObject().put("name", "Late").put("persona", "Added last."));
      first.kill(); // within the burst window: nothing was answered yet
      assertEquals(0, receiver.deliveries().size(), "no reply went out before the kill");
    }
    try (ChildParley second = ChildParley.start(dir, env)) {
      Http http = new Http(port(second));
      assertEquals(200, http.get("/api/managers/" + late, ADMIN).status(), "the manager created just before the kill");
      try {
        Poll.until("every acknowledged message answered after the restart", Duration.ofSeconds(60),
            () -> receiver.deliveries().size(), n -> n >= CONTACTS);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nthe restarted process's output:\n" + second.output(), e);
      }
      assertEachAnswered(http, 1);
      second.terminate(Duration.ofSeconds(30));
    }
  }

  /**
   * Replies that left just before a kill are not sent again after the restart: the contacts have them, and
   * their records must be in the file by then, or the restarted process would answer the same messages again.
   * The kill comes a few of the store's save intervals after the last reply arrived, well within the second
   * the store would take to save on its own. Done twice, as a kill may by chance follow the store's own save.
   */
  @Test
  void repliesThatLeftJustBeforeAKillAreNotSentAgain() throws Exception {
    Path dir = TestParley.tempDir();
    // no burst window, and a claim on a burst that runs out soon after an AI reply's longest time (2 s)
    Map<String, String> env = env(dir, Map.of("PARLEY_DISPATCH_ENABLED", "false", "PARLEY_CONVERSATION_BURST_WINDOW_MILLIS", "0",
        "PARLEY_CONVERSATION_AI_MAX_ATTEMPTS", "1", "PARLEY_CONVERSATION_AI_TIMEOUT_SECONDS", "2",
        "PARLEY_CONVERSATION_REPLY_LEASE_SECONDS", "10"));
    StandardWebhooks contactSide = StandardWebhooks.forSecret(secret, Clock.systemUTC());
    String channel = null;
    for (int round = 0; round < 2; round++) {
      try (ChildParley p = ChildParley.start(dir, env)) {
        Http http = new Http(port(p));
        if (channel == null) channel = campaign(http, "incoming", new JsonArray());
        int before = receiver.deliveries().size();
        for (int i = 0; i < CONTACTS; i++) {
          assertEquals(200, write(http, contactSide, channel, "contact-" + i, "Round " + round, "m-" + round + "-" + i).status());
        }
        Poll.until("every message of round " + round + " answered", Duration.ofSeconds(30),
            () -> receiver.deliveries().size(), n -> n >= before + CONTACTS);
        LockSupport.parkNanos(Duration.ofMillis(400).toNanos());
        p.kill();
      }
    }
    try (ChildParley last = ChildParley.start(dir, env)) {
      Http http = new Http(port(last));
      // a burst whose reply's record was lost is due again when its claim runs out: 10 s after it was made
      LockSupport.parkNanos(Duration.ofSeconds(13).toNanos());
      assertEachAnswered(http, 2); // once in each round, not again after a kill
      last.terminate(Duration.ofSeconds(30));
    }
  }

  /**
   * Replies on their way to the channel when Parley is killed: their bursts were claimed (and the claims
   * saved), no reply was recorded. The restarted process answers them once the killed one has been silent for
   * three heartbeats, not when the claims run out (ten minutes, the default).
   */
  @Test
  void burstsClaimedBeforeAKillAreAnsweredSoonAfterTheRestart() throws Exception {
    Path dir = TestParley.tempDir();
    Map<String, String> env = env(dir, Map.of("PARLEY_DISPATCH_ENABLED", "false", "PARLEY_CONVERSATION_BURST_WINDOW_MILLIS", "0",
        "PARLEY_CONVERSATION_HEARTBEAT_SECONDS", "1"));
    StandardWebhooks contactSide = StandardWebhooks.forSecret(secret, Clock.systemUTC());
    holding = true;
    try (ChildParley first = ChildParley.start(dir, env)) {
      Http http = new Http(port(first));
      String channel = campaign(http, "incoming", new JsonArray());
      for (int i = 0; i < CONTACTS; i++) {
        assertEquals(200, write(http, contactSide, channel, "contact-" + i, "Hello, what is it about?").status());
      }
      Poll.until("every reply on its way", Duration.ofSeconds(30), () -> receiver.deliveries().size(), n -> n >= CONTACTS);
      LockSupport.parkNanos(Duration.ofMillis(400).toNanos()); // a few of the store's save intervals: the claims are kept
      first.kill();
    }
    holding = false;
    int held = receiver.deliveries().size();
    try (ChildParley second = ChildParley.start(dir, env)) {
      Http http = new Http(port(second));
      try {
        Poll.until("every claimed burst answered after the restart", Duration.ofSeconds(30),
            () -> receiver.deliveries().size() - held, n -> n >= CONTACTS);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nthe restarted process's output:\n" + second.output(), e);
      }
      Map<String, Integer> again = new TreeMap<>();
      receiver.deliveries().subList(held, receiver.deliveries().size()).forEach(d -> again.merge(d.body().getString("to"), 1, Integer::sum));
      assertEquals(CONTACTS, again.size(), "every contact answered after the restart: " + again);
      again.forEach((to, n) -> assertEquals(1, n, to + " answered " + n + " times after the restart"));
      JsonArray dialogues = http.get("/api/dialogues?limit=100", ADMIN).json().getJsonArray("items");
      for (Object o : dialogues) {
        JsonObject d = http.get("/api/dialogues/" + ((JsonObject) o).getString("id"), ADMIN).json();
        List<String> directions = d.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("direction")).toList();
        assertEquals(List.of("in", "out"), directions, "the message and the one reply recorded: " + d.encode());
      }
      second.terminate(Duration.ofSeconds(30));
    }
  }

  /**
   * An opening that left just before a kill keeps its record: its target is sent, and its dialogue exists,
   * so the contact's answer continues it. (Killed before the record, the target would be {@code unknown}
   * and the answer would open a dialogue without the opening.) Done twice, as with the replies above.
   */
  @Test
  void anOpeningThatLeftJustBeforeAKillKeepsItsDialogue() throws Exception {
    Path dir = TestParley.tempDir();
    Map<String, String> env = env(dir, Map.of());
    JsonArray audience = new JsonArray().add("lead-1").add("lead-2").add("lead-3");
    String channel = null;
    for (int round = 0; round < 2; round++) {
      try (ChildParley p = ChildParley.start(dir, env)) {
        Http http = new Http(port(p));
        if (channel == null) channel = campaign(http, "incoming_outgoing", audience);
        int before = receiver.deliveries().size();
        Poll.until("an opening to leave", Duration.ofSeconds(30), () -> receiver.deliveries().size(), n -> n > before);
        LockSupport.parkNanos(Duration.ofMillis(400).toNanos()); // the next may leave 3 s after it
        p.kill();
      }
    }
    try (ChildParley last = ChildParley.start(dir, env(dir, Map.of("PARLEY_DISPATCH_ENABLED", "false")))) {
      Http http = new Http(port(last));
      List<String> opened = receiver.deliveries().stream().map(d -> d.body().getString("to")).toList();
      assertEquals(2, opened.size(), "one opening per round: " + opened);
      JsonArray dialogues = http.get("/api/dialogues?limit=100", ADMIN).json().getJsonArray("items");
      assertEquals(opened.stream().sorted().toList(), dialogues.stream().map(d -> ((JsonObject) d).getString("contact"))
          .sorted().toList(), "a dialogue for each opening that left");
      String task = dialogues.getJsonObject(0).getString("task");
      JsonArray sent = http.get("/api/tasks/" + task + "/audience?state=sent", ADMIN).json().getJsonArray("items");
      assertEquals(opened.stream().sorted().toList(), sent.stream().map(e -> ((JsonObject) e).getString("address")).sorted()
          .toList(), "each target whose opening left is sent, not unknown: " + sent.encode());
      last.terminate(Duration.ofSeconds(30));
    }
  }

  /**
   * Every contact got exactly {@code rounds} replies, and each of their dialogues holds each message and
   * reply once, in turn.
   */
  private void assertEachAnswered(Http http, int rounds) {
    Map<String, Integer> replies = new TreeMap<>();
    receiver.deliveries().forEach(d -> replies.merge(d.body().getString("to"), 1, Integer::sum));
    assertEquals(CONTACTS, replies.size(), "every contact answered: " + replies);
    replies.forEach((to, n) -> assertEquals(rounds, n, to + " answered " + n + " times"));
    List<String> turns = Collections.nCopies(rounds, List.of("in", "out")).stream().flatMap(List::stream).toList();
    JsonArray dialogues = http.get("/api/dialogues?limit=100", ADMIN).json().getJsonArray("items");
    assertEquals(CONTACTS, dialogues.size());
    for (Object o : dialogues) {
      JsonObject d = http.get("/api/dialogues/" + ((JsonObject) o).getString("id"), ADMIN).json();
      List<String> directions = d.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("direction")).toList();
      assertEquals(turns, directions, "each message and reply recorded once: " + d.encode());
    }
  }

  private static Map<String, String> env(Path dir, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString(), "PARLEY_HTTP_PORT", "0",
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_ADMIN_TOKEN", ADMIN));
    env.putAll(more);
    return env;
  }

  /** A web channel answering through the receiver, a scripted AI and a running task of {@code format}. */
  private String campaign(Http http, String format, JsonArray audience) {
    String channel = created(http, "/api/channels", new JsonObject().put("type", "web").put("name", "Site")
        .put("settings", new JsonObject().put("callbackUrl", receiver.url("/replies")).put("secret", secret)));
    String manager = created(http, "/api/managers", new JsonObject().put("name", "Maria").put("persona", "Brief."));
    String ai = created(http, "/api/ai-profiles", new JsonObject().put("name", "bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "It is our spring webinar.")));
    JsonObject body = new JsonObject().put("name", "Campaign").put("type", "web")
        .put("format", format).put("channels", new JsonArray().add(channel)).put("managers", new JsonArray().add(manager))
        .put("ai", ai).put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 10).put("pauseBetweenDialogues", 3);
    if (!audience.isEmpty()) body.put("audience", audience).put("openingMessage", new JsonObject().put("text", "Hi {{address}}"));
    String task = created(http, "/api/tasks", body);
    assertEquals(200, http.post("/api/tasks/" + task + "/start", ADMIN, null).status());
    return channel;
  }

  private static String created(Http http, String path, JsonObject body) {
    Http.Response r = http.post(path, ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  private static Http.Response write(Http http, StandardWebhooks signer, String channel, String from, String text) {
    return write(http, signer, channel, from, text, "m-" + from);
  }

  private static Http.Response write(Http http, StandardWebhooks signer, String channel, String from, String text, String id) {
    String body = new JsonObject().put("from", from).put("text", text).put("id", id).encode();
    HttpRequest.Builder b = http.builder("/webhooks/web/" + channel, null)
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    signer.sign(StandardWebhooks.newMessageId(), body.getBytes(StandardCharsets.UTF_8)).asMap().forEach(b::header);
    return http.send(b);
  }

  private static int port(ChildParley p) {
    Matcher m = LISTENING.matcher(p.awaitLine(l -> LISTENING.matcher(l).find(), Duration.ofSeconds(60)));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }
}
