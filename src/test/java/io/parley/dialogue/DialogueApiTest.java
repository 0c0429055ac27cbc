package io.parley.dialogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.FakeReceiver;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.MutableClock;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The managers' dialogue API through HTTP on a real port, with a web channel whose receiver runs on 127.0.0.1. */
class DialogueApiTest {
  static final String SECRET = StandardWebhooks.newSecret();
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  static MutableClock clock;
  static TestParley parley;
  static Http http;
  static Fixtures db;
  static FakeReceiver receiver;
  static volatile Consumer<RoutingContext> answer;
  static String managerToken;
  static String managerTokenId;
  static String otherToken;
  static String mine;
  static String theirs;
  static String channel;
  static String task;

  @BeforeAll
  static void start() throws Exception {
    clock = new MutableClock(START);
    parley = TestParley.start(TestParley.tempDir(), Map.of("dispatch.enabled", "false", "dialogue.watchSeconds", "1"),
        clock);
    http = parley.http();
    db = new Fixtures(parley);
    Vertx vertx = parley.parley().app().vertx();
    receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(SECRET, clock)).answer("/in", ctx -> answer.accept(ctx));
    receiver.start(vertx).toCompletionStage().toCompletableFuture().get();
    Http.Response token = http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("name", "Maria").put("role", "manager"));
    managerToken = token.json().getString("token");
    managerTokenId = token.json().getString("id");
    otherToken = parley.token("manager");
    mine = created("/api/managers", new JsonObject().put("name", "Anna").put("persona", "Friendly")
        .put("operators", new JsonArray().add(managerTokenId)));
    theirs = created("/api/managers", new JsonObject().put("name", "Boris").put("persona", "Dry"));
    channel = created("/api/channels", new JsonObject().put("type", "web").put("name", "widget")
        .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in")).put("secret", SECRET)));
    String ai = created("/api/ai-profiles", new JsonObject().put("name", "Bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "Thanks!")));
    task = created("/api/tasks", new JsonObject().put("name", "t").put("type", "web").put("format", "incoming_outgoing")
        .put("channels", new JsonArray().add(channel)).put("managers", new JsonArray().add(mine).add(theirs))
        .put("ai", ai).put("spendLimitPerDialogue", "0.50").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 100).put("pauseBetweenDialogues", 3)
        .put("openingMessage", new JsonObject().put("text", "Hello")));
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  static String created(String path, JsonObject body) {
    Http.Response r = http.post(path, TestParley.ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  /** A dialogue as the dispatcher records one, with its opening message. */
  static String dialogue(String manager, String contact) {
    String id = Ids.newId();
    Date at = Date.from(clock.instant());
    db.insert(Collections.DIALOGUES, new Document("_id", id).append("task", task).append("channel", channel)
        .append("contact", contact).append("fields", new Document("name", contact)).append("manager", manager)
        .append("state", "open").append("origin", "outreach").append("spend", new Decimal128(0L))
        .append("createdAt", at).append("lastMessageAt", at));
    return id;
  }

  /** A message from the contact, stored as the conversation routing stores one. */
  static String incoming(String dialogue, String text) {
    String id = Ids.newId();
    Document m = new Document("_id", id).append("dialogue", dialogue).append("direction", "in").append("author", "contact")
        .append("text", text).append("status", "received").append("cost", new Decimal128(0L))
        .append("createdAt", Date.from(clock.instant()));
    db.insert(Collections.MESSAGES, m);
    await(new DialogueActivity(parley.parley().app().store()).stored(m));
    return id;
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject get(String id, String token) {
    Http.Response r = http.get("/api/dialogues/" + id, token);
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  @Test
  void aManagerSeesOnlyTheDialoguesOfTheManagersItOperates() {
    String a = dialogue(mine, "ann-list");
    String b = dialogue(theirs, "bob-list");
    List<String> seen = ids(http.get("/api/dialogues?task=" + task + "&limit=200", managerToken));
    assertTrue(seen.contains(a), seen.toString());
    assertFalse(seen.contains(b), seen.toString());
    List<String> all = ids(http.get("/api/dialogues?task=" + task + "&limit=200", TestParley.ADMIN));
    assertTrue(all.contains(a) && all.contains(b), "an admin sees all");
    assertTrue(ids(http.get("/api/dialogues?task=" + task, otherToken)).isEmpty(), "a manager operating nobody sees nothing");

    assertEquals(403, http.get("/api/dialogues/" + b, managerToken).status());
    assertEquals(403, http.post("/api/dialogues/" + b + "/takeover", managerToken, null).status());
    assertEquals(403, http.post("/api/dialogues/" + b + "/messages", managerToken, new JsonObject().put("text", "hi")).status());
    assertEquals(403, http.get("/api/dialogues?manager=" + theirs, managerToken).status());
    assertEquals(403, http.get("/api/dialogues", parley.token("marketer")).status(), "marketers do not answer chats");
    assertEquals(401, http.get("/api/dialogues", null).status());
    assertEquals("open", db.find(Collections.DIALOGUES, b).getString("state"), "refusals change nothing");
    assertEquals(0, db.count(Collections.MESSAGES, new Document("dialogue", b)));

    assertEquals(404, http.get("/api/dialogues/" + Ids.newId(), managerToken).status());
    assertEquals(400, http.get("/api/dialogues?state=sleeping", managerToken).status());
    assertEquals(400, http.get("/api/dialogues?limit=0", managerToken).status());
    assertEquals(400, http.get("/api/dialogues?after=yesterday", managerToken).status());
    assertEquals(400, http.get("/api/dialogues?colour=red", managerToken).status());
    List<String> open = ids(http.get("/api/dialogues?state=open&manager=" + mine + "&limit=200", managerToken));
    assertTrue(open.contains(a));
  }

  @Test
  void listPagesTheMostRecentlyActiveFirst() {
    String old = dialogue(mine, "page-old");
    clock.advance(Duration.ofSeconds(1));
    String newer = dialogue(mine, "page-new");
    clock.advance(Duration.ofSeconds(1));
    incoming(old, "still there?");
    JsonObject first = http.get("/api/dialogues?limit=1", managerToken).json();
    assertEquals(old, first.getJsonArray("items").getJsonObject(0).getString("id"), "a new message moves it up");
    String next = first.getString("next");
    JsonObject second = http.get("/api/dialogues?limit=1&after=" + next, managerToken).json();
    assertEquals(newer, second.getJsonArray("items").getJsonObject(0).getString("id"));
  }

  @Test
  void unreadCountsAndTheLastMessageAreShownAndReadClearsThem() {
    String d = dialogue(mine, "unread");
    incoming(d, "hello?");
    incoming(d, "anyone there?");
    JsonObject row = find(http.get("/api/dialogues?limit=200", managerToken), d);
    assertEquals(2, row.getInteger("unread"));
    assertEquals("anyone there?", row.getJsonObject("lastMessage").getString("text"));
    assertEquals("contact", row.getJsonObject("lastMessage").getString("author"));
    JsonObject read = http.post("/api/dialogues/" + d + "/read", managerToken, null).json();
    assertEquals(0, read.getInteger("unread"));
    JsonObject full = get(d, managerToken);
    assertEquals(List.of("hello?", "anyone there?"), texts(full));
  }

  @Test
  void takeoverAndHandbackMoveTheStateOnceAndRefuseIllegalMoves() {
    String d = dialogue(mine, "takeover");
    JsonObject taken = http.post("/api/dialogues/" + d + "/takeover", managerToken, null).json();
    assertEquals("human", taken.getString("state"));
    Http.Response again = http.post("/api/dialogues/" + d + "/takeover", managerToken, null);
    assertEquals(409, again.status(), again.toString());
    assertTrue(again.error().getString("message").contains("is human"), again.toString());
    JsonObject back = http.post("/api/dialogues/" + d + "/handback", managerToken, null).json();
    assertEquals("open", back.getString("state"));
    assertEquals(409, http.post("/api/dialogues/" + d + "/handback", managerToken, null).status());

    String capped = dialogue(mine, "capped");
    db.update(Collections.DIALOGUES, capped, new Document("$set", new Document("spend", new Decimal128(new java.math.BigDecimal("0.50")))));
    assertEquals("human", http.post("/api/dialogues/" + capped + "/takeover", managerToken, null).json().getString("state"));
    JsonObject blocked = http.post("/api/dialogues/" + capped + "/handback", managerToken, null).json();
    assertEquals("blocked", blocked.getString("state"), "a dialogue at its spend cap cannot go back to the AI");
    assertEquals("spend cap reached", blocked.getString("stateReason"));
  }

  @Test
  void aReplyGoesOutThroughTheChannelAndTakesTheDialogueOver() {
    answer = ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{\"id\":\"platform-1\"}");
    String d = dialogue(mine, "reply-to-me");
    Http.Response sent = http.post("/api/dialogues/" + d + "/messages", managerToken, new JsonObject().put("text", "Hi, Anna here"));
    assertEquals(201, sent.status(), sent.toString());
    assertEquals("sent", sent.json().getString("status"));
    assertEquals("manager", sent.json().getString("author"));
    assertEquals(managerTokenId, sent.json().getString("operator"));
    FakeReceiver.Delivery delivery = receiver.deliveries().stream().filter(x -> x.body().getString("to").equals("reply-to-me"))
        .findFirst().orElseThrow();
    assertEquals("Hi, Anna here", delivery.body().getString("text"));
    assertEquals(d, delivery.body().getString("dialogueId"));
    assertEquals(sent.json().getString("id"), delivery.webhookId(), "the message id is the webhook id");
    JsonObject full = get(d, managerToken);
    assertEquals("human", full.getString("state"), "a manager who writes has taken over");
    assertEquals("platform-1", full.getJsonArray("messages").getJsonObject(0).getString("channelMessageId"));
  }

  @Test
  void badRepliesAreRefusedAndStoreNothing() {
    String d = dialogue(mine, "bad-replies");
    assertEquals(400, http.post("/api/dialogues/" + d + "/messages", managerToken, new JsonObject()).status());
    assertEquals(400, http.post("/api/dialogues/" + d + "/messages", managerToken, new JsonObject().put("text", 5)).status());
    assertEquals(400, http.post("/api/dialogues/" + d + "/messages", managerToken, new JsonObject().put("text", "  ")).status());
    assertEquals(400, http.post("/api/dialogues/" + d + "/messages", managerToken,
        new JsonObject().put("text", "hi").put("html", "<b>")).status());
    assertEquals(400, http.post("/api/dialogues/" + d + "/messages", managerToken,
        new JsonObject().put("text", "x".repeat(DialogueRoutes.MAX_TEXT + 1))).status());
    Http.Response malformed = http.send("/api/dialogues/" + d + "/messages", managerToken, "POST", "application/json", "{\"text\":");
    assertEquals(400, malformed.status(), malformed.toString());
    assertEquals(0, db.count(Collections.MESSAGES, new Document("dialogue", d)));
    assertEquals("open", db.find(Collections.DIALOGUES, d).getString("state"));

    assertEquals(200, http.post("/api/dialogues/" + d + "/close", managerToken, new JsonObject().put("outcome", "no_further_action")).status());
    Http.Response closed = http.post("/api/dialogues/" + d + "/messages", managerToken, new JsonObject().put("text", "late"));
    assertEquals(409, closed.status());
    assertEquals(0, db.count(Collections.MESSAGES, new Document("dialogue", d)));
  }

  @Test
  void aReplyTheReceiverAsksToDelayIsSentAgainWithTheSameId() {
    int[] calls = {0};
    answer = ctx -> {
      if (ctx.body().asJsonObject().getString("to").equals("busy") && calls[0]++ == 0) {
        ctx.response().setStatusCode(503).putHeader("Retry-After", "1").end();
      } else {
        ctx.response().end("{}");
      }
    };
    String d = dialogue(mine, "busy");
    Http.Response sent = http.post("/api/dialogues/" + d + "/messages", managerToken, new JsonObject().put("text", "one moment"));
    assertEquals(201, sent.status(), sent.toString());
    assertEquals("queued", sent.json().getString("status"));
    String id = sent.json().getString("id");
    Poll.until("the retry to be sent", Duration.ofSeconds(20), () -> db.find(Collections.MESSAGES, id).getString("status"),
        "sent"::equals);
    List<FakeReceiver.Delivery> tries = receiver.deliveries().stream().filter(x -> x.body().getString("to").equals("busy")).toList();
    assertEquals(2, tries.size());
    assertEquals(tries.get(0).webhookId(), tries.get(1).webhookId());
  }

  @Test
  void closeTakesAKnownOutcomeOnceAndPublishesIt() {
    List<JsonObject> outcomes = new CopyOnWriteArrayList<>();
    parley.parley().app().vertx().eventBus().<JsonObject>consumer(EventAddresses.DIALOGUE_OUTCOME, m -> outcomes.add(m.body()));
    String d = dialogue(mine, "closing");
    Http.Response unknown = http.post("/api/dialogues/" + d + "/close", managerToken, new JsonObject().put("outcome", "maybe"));
    assertEquals(400, unknown.status());
    assertEquals("outcome", unknown.error().getString("field"));
    assertTrue(unknown.error().getString("message").contains("success"), unknown.toString());
    assertEquals(400, http.post("/api/dialogues/" + d + "/close", managerToken, new JsonObject()).status());
    assertEquals("open", db.find(Collections.DIALOGUES, d).getString("state"));

    Http.Response patched = http.patch("/api/tasks/" + task, TestParley.ADMIN, new JsonObject()
        .put("outcomes", new JsonObject().put("call_back_later", new JsonArray())));
    assertEquals(200, patched.status(), patched.toString());
    JsonObject closed = http.post("/api/dialogues/" + d + "/close", managerToken, new JsonObject().put("outcome", "call_back_later")).json();
    assertEquals("closed", closed.getString("state"));
    assertEquals("call_back_later", closed.getString("outcome"));
    assertEquals(409, http.post("/api/dialogues/" + d + "/close", managerToken, new JsonObject().put("outcome", "success")).status());
    Poll.until("the outcome event", Duration.ofSeconds(10), () -> outcomes.stream().filter(o -> o.getString("dialogueId").equals(d)).count(), n -> n == 1L);
    JsonObject event = outcomes.stream().filter(o -> o.getString("dialogueId").equals(d)).findFirst().orElseThrow();
    assertEquals("manager", event.getString("by"));
    assertTrue(event.getBoolean("closed"));
    assertEquals(task, event.getString("taskId"));
    assertEquals("closing", event.getString("contact"));
  }

  @Test
  void theFeedStreamsTheCallersDialoguesOnly() throws Exception {
    answer = ctx -> ctx.response().end("{}");
    String a = dialogue(mine, "feed-mine");
    String b = dialogue(theirs, "feed-theirs");
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(http.base() + "/api/dialogues/feed"))
        .header("Authorization", "Bearer " + managerToken).GET().build();
    HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) lines.add(line);
      } catch (java.io.IOException ignored) {
        // the test closed the stream
      }
    });
    reader.setDaemon(true);
    reader.start();
    Poll.until("the feed to open", Duration.ofSeconds(10), lines::size, n -> n > 0);
    assertEquals(200, http.post("/api/dialogues/" + b + "/takeover", TestParley.ADMIN, null).status());
    assertEquals(201, http.post("/api/dialogues/" + a + "/messages", managerToken, new JsonObject().put("text", "hello from Anna")).status());
    Poll.until("the message event", Duration.ofSeconds(10),
        () -> lines.stream().filter(l -> l.startsWith("data:") && l.contains(a) && l.contains("\"message\"")).count(), n -> n == 1L);
    assertTrue(lines.contains("event: state"), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains(b)), "another manager's dialogue is not in this feed: " + lines);
    var bus = parley.parley().app().vertx().eventBus();
    bus.publish(EventAddresses.MANAGER_TASK_CREATED, new JsonObject().put("id", "mt-theirs").put("assignedTo", theirs));
    bus.publish(EventAddresses.MANAGER_TASK_CREATED, new JsonObject().put("id", "mt-mine").put("assignedTo", mine));
    Poll.until("the follow-up task in the feed", Duration.ofSeconds(10),
        () -> lines.stream().filter(l -> l.contains("mt-mine")).count(), n -> n == 1L);
    assertTrue(lines.contains("event: manager_task"), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("mt-theirs")), "another manager's task is not in this feed");
    response.body().close();
  }

  /** A client that stops reading the feed is cut off, not buffered for without end. */
  @Test
  void aFeedClientThatStopsReadingIsCutOff() throws Exception {
    java.net.URI base = java.net.URI.create(http.base());
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
      socket.getOutputStream().write(("GET /api/dialogues/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + TestParley.ADMIN + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      byte[] head = new byte[64];
      assertTrue(in.read(head) > 0, "the feed answers");
      var bus = parley.parley().app().vertx().eventBus();
      String big = "x".repeat(16_000);
      for (int i = 0; i < 2_000; i++) { // 32 MB of events that nobody reads
        bus.publish(EventAddresses.DIALOGUE_UPDATED, new JsonObject().put("dialogueId", "d" + i).put("manager", mine)
            .put("kind", "message").put("text", big));
      }
      socket.setSoTimeout(10_000);
      long read = 0;
      try {
        for (int n; (n = in.read(new byte[65536])) >= 0; ) read += n;
      } catch (java.net.SocketException reset) {
        // the server reset the stream: cut off, as meant
      } catch (java.net.SocketTimeoutException stillOpen) {
        throw new AssertionError("the feed kept the stalled client's stream open after " + read + " bytes");
      }
      assertTrue(read < 32_000_000L, "cut off before every event was written: " + read + " bytes");
    }
  }

  @Test
  void unansweredTakeoversAndOutreachDialoguesAreHandledOnTime() {
    String stays = dialogue(mine, "watch-stays");
    assertEquals(200, http.post("/api/dialogues/" + stays + "/takeover", managerToken, null).status());
    String answered = dialogue(mine, "watch-answered");
    answer = ctx -> ctx.response().end("{}");
    assertEquals(201, http.post("/api/dialogues/" + answered + "/messages", managerToken, new JsonObject().put("text", "here")).status());
    clock.advance(Duration.ofMinutes(31));
    Poll.until("the takeover to be marked overdue", Duration.ofSeconds(20),
        () -> db.find(Collections.DIALOGUES, stays).getBoolean("overdue"), Boolean.TRUE::equals);
    Document overdue = db.find(Collections.DIALOGUES, stays);
    assertEquals("human", overdue.getString("state"), "the task says nothing: it stays with the manager");
    assertTrue(overdue.getString("stateReason").contains("no manager answered within 30 min"), overdue.toJson());
    assertNull(db.find(Collections.DIALOGUES, answered).getBoolean("overdue"), "a dialogue the manager answered is not overdue");

    String quiet = dialogue(mine, "watch-quiet");
    String talked = dialogue(mine, "watch-talked");
    incoming(talked, "yes?");
    clock.advance(Duration.ofHours(72));
    Poll.until("the quiet dialogue to be closed", Duration.ofSeconds(20),
        () -> db.find(Collections.DIALOGUES, quiet).getString("outcome"), "no_answer"::equals);
    assertEquals("closed", db.find(Collections.DIALOGUES, quiet).getString("state"));
    assertEquals("system", db.find(Collections.DIALOGUES, quiet).getString("closedBy"));
    assertEquals("open", db.find(Collections.DIALOGUES, talked).getString("state"), "a dialogue the contact answered stays open");
  }

  @Test
  void aTaskMaySendUnansweredTakeoversBackToTheAi() {
    db.update(Collections.TASKS, task, new Document("$set", new Document("afterHandoverTimeout", "ai")));
    try {
      String d = dialogue(mine, "watch-ai");
      assertEquals(200, http.post("/api/dialogues/" + d + "/takeover", managerToken, null).status());
      clock.advance(Duration.ofMinutes(31));
      Poll.until("the dialogue to go back to the AI", Duration.ofSeconds(20),
          () -> db.find(Collections.DIALOGUES, d).getString("state"), "open"::equals);
      assertTrue(db.find(Collections.DIALOGUES, d).getString("stateReason").startsWith("handed back to the AI"));
    } finally {
      db.update(Collections.TASKS, task, new Document("$unset", new Document("afterHandoverTimeout", "")));
    }
  }

  private static List<String> ids(Http.Response r) {
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject find(Http.Response r, String id) {
    return r.json().getJsonArray("items").stream().map(o -> (JsonObject) o).filter(o -> o.getString("id").equals(id))
        .findFirst().orElseThrow(() -> new AssertionError(id + " not in " + r));
  }

  private static List<String> texts(JsonObject dialogue) {
    return dialogue.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getString("text")).toList();
  }
}
