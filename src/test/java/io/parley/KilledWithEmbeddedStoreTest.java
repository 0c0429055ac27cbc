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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void messagesAcknowledgedJustBeforeAKillAreKeptAndAnsweredAfterTheRestart() throws Exception {
    Path dir = TestParley.tempDir();
    Map<String, String> env = Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString(), "PARLEY_HTTP_PORT", "0",
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_ADMIN_TOKEN", ADMIN, "PARLEY_DISPATCH_ENABLED", "false");
    String secret = StandardWebhooks.newSecret();
    Vertx vertx = Vertx.vertx();
    try {
      FakeReceiver receiver = new FakeReceiver(vertx, StandardWebhooks.forSecret(secret, Clock.systemUTC()))
          .answer("/replies", ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{}"));
      receiver.start(vertx).toCompletionStage().toCompletableFuture().get();
      String channel;
      String late;
      try (ChildParley first = ChildParley.start(dir, env)) {
        Http http = new Http(port(first));
        channel = campaign(http, receiver.url("/replies"), secret);
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
        Poll.until("every acknowledged message answered after the restart", Duration.ofSeconds(60),
            () -> receiver.deliveries().size(), n -> n >= CONTACTS);
        Map<String, Integer> replies = new TreeMap<>();
        receiver.deliveries().forEach(d -> replies.merge(d.body().getString("to"), 1, Integer::sum));
        assertEquals(CONTACTS, replies.size(), "every contact answered: " + replies);
        replies.forEach((to, n) -> assertEquals(1, n, to + " answered once"));
        JsonArray dialogues = http.get("/api/dialogues?limit=100", ADMIN).json().getJsonArray("items");
        assertEquals(CONTACTS, dialogues.size());
        for (Object o : dialogues) {
          JsonObject d = http.get("/api/dialogues/" + ((JsonObject) o).getString("id"), ADMIN).json();
          List<String> directions = d.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("direction")).toList();
          assertEquals(List.of("in", "out"), directions, d.encode());
        }
        second.terminate(Duration.ofSeconds(30));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** A web channel answering through {@code callbackUrl}, a scripted AI and a running incoming task. */
  private static String campaign(Http http, String callbackUrl, String secret) {
    String channel = created(http, "/api/channels", new JsonObject().put("type", "web").put("name", "Site")
        .put("settings", new JsonObject().put("callbackUrl", callbackUrl).put("secret", secret)));
    String manager = created(http, "/api/managers", new JsonObject().put("name", "Maria").put("persona", "Brief."));
    String ai = created(http, "/api/ai-profiles", new JsonObject().put("name", "bot").put("provider", "scripted")
        .put("scripted", new JsonObject().put("rules", new JsonArray()).put("fallback", "It is our spring webinar.")));
    String task = created(http, "/api/tasks", new JsonObject().put("name", "Inbound").put("type", "web")
        .put("format", "incoming").put("channels", new JsonArray().add(channel)).put("managers", new JsonArray().add(manager))
        .put("ai", ai).put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 10).put("pauseBetweenDialogues", 3));
    assertEquals(200, http.post("/api/tasks/" + task + "/start", ADMIN, null).status());
    return channel;
  }

  private static String created(Http http, String path, JsonObject body) {
    Http.Response r = http.post(path, ADMIN, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }

  private static Http.Response write(Http http, StandardWebhooks signer, String channel, String from, String text) {
    String body = new JsonObject().put("from", from).put("text", text).put("id", "m-" + from).encode();
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
