package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.FakeReceiver;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.parley.webhook.StandardWebhooks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A whole campaign through HTTP, Parley's own dispatchers and real time: several web channels, one task. */
class WebCampaignTest {
  @Test
  void everyTargetOnceWithinLimitsThenCompleted() throws Exception {
    try (TestParley parley = TestParley.start(TestParley.tempDir(),
        Map.of("dispatch.leaseSeconds", "3", "dispatch.refreshSeconds", "1"), Clock.systemUTC())) {
      Http http = parley.http();
      String secret = StandardWebhooks.newSecret();
      FakeReceiver receiver = new FakeReceiver(parley.parley().app().vertx(), StandardWebhooks.forSecret(secret, Clock.systemUTC()))
          .answer("/in/*", ctx -> ctx.response().end("{}"));
      receiver.start(parley.parley().app().vertx()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String marketer = parley.token("marketer");
      JsonArray channels = new JsonArray();
      for (int i = 0; i < 3; i++) {
        channels.add(created(http, marketer, "/api/channels", new JsonObject().put("type", "web").put("name", "c" + i)
            .put("settings", new JsonObject().put("callbackUrl", receiver.url("/in/" + i)).put("secret", secret))));
      }
      JsonArray audience = new JsonArray();
      for (int i = 1; i <= 9; i++) audience.add("contact-" + i);
      String task = created(http, marketer, "/api/tasks", new JsonObject().put("name", "campaign").put("type", "web")
          .put("format", "incoming_outgoing").put("channels", channels)
          .put("managers", new JsonArray().add(created(http, marketer, "/api/managers", new JsonObject().put("name", "Anna"))))
          .put("ai", created(http, marketer, "/api/ai-profiles", new JsonObject().put("name", "Bot")
              .put("scripted", new JsonObject().put("fallback", "Thanks"))))
          .put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
          .put("dailyLimitPerChannel", 3).put("pauseBetweenDialogues", 3)
          .put("openingMessage", new JsonObject().put("text", "Hi {{address}}")).put("audience", audience));
      assertEquals(200, http.post("/api/tasks/" + task + "/start", marketer, null).status());

      JsonObject done = Poll.until("the task to complete", Duration.ofSeconds(40),
          () -> http.get("/api/tasks/" + task, marketer).json(), t -> "completed".equals(t.getString("status")));
      assertEquals(9L, done.getJsonObject("progress").getLong("sent"));
      assertEquals(0L, done.getLong("remaining"));
      Map<String, Integer> perContact = new HashMap<>();
      Map<String, Integer> perChannel = new HashMap<>();
      receiver.deliveries().forEach(d -> {
        perContact.merge(d.body().getString("to"), 1, Integer::sum);
        perChannel.merge(d.path(), 1, Integer::sum);
      });
      assertEquals(9, perContact.size());
      perContact.forEach((to, n) -> assertEquals(1, n, to));
      perChannel.forEach((channel, n) -> assertTrue(n <= 3, channel + " opened " + n + " dialogues"));
      assertEquals(List.of("sent"), http.get("/api/tasks/" + task + "/audience", marketer).items().stream()
          .map(o -> ((JsonObject) o).getString("state")).distinct().toList());
    }
  }

  private static String created(Http http, String token, String path, JsonObject body) {
    Http.Response r = http.post(path, token, body);
    assertEquals(201, r.status(), path + ": " + r);
    return r.json().getString("id");
  }
}
