package io.parley.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.mongodb.client.model.Filters;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.support.FakeBotApi;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Channel checks, long polling with offsets across a restart, and the webhook, against a fake Bot API. */
class TelegramIncomingTest {
  static final String TOKEN = "123456:AAbbCCdd_ee-FF";
  /** The channel's side only: no router takes the stored messages away. */
  static final Map<String, String> FAST = Map.of("telegram.pollTimeoutSeconds", "1", "telegram.refreshSeconds", "1",
      "conversation.enabled", "false");

  private final FakeBotApi bot = new FakeBotApi(TOKEN, "parley_test_bot");
  private TestParley parley;

  @AfterEach
  void close() {
    if (parley != null) parley.close();
    bot.close();
  }

  private String channel(JsonObject settings) {
    Http.Response r = parley.http().post("/api/channels", TestParley.ADMIN, new JsonObject().put("type", "telegram")
        .put("name", "bot").put("settings", settings.put("apiUrl", bot.url())));
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  @Test
  void creatingAChannelAsksTelegramWhoTheBotIs() {
    parley = TestParley.start(TestParley.tempDir(), Map.of("telegram.receiveUpdates", "false", "conversation.enabled", "false"), Clock.systemUTC());
    String id = channel(new JsonObject().put("botToken", TOKEN));
    JsonObject shown = parley.http().get("/api/channels/" + id, TestParley.ADMIN).json();
    assertEquals("parley_test_bot", shown.getJsonObject("settings").getString("botUsername"));
    assertEquals(1, bot.calls("getMe").size());
    Http.Response renamed = parley.http().patch("/api/channels/" + id, TestParley.ADMIN, new JsonObject().put("name", "renamed"));
    assertEquals(200, renamed.status(), renamed.toString());
    assertEquals("parley_test_bot", renamed.json().getJsonObject("settings").getString("botUsername"));

    Fixtures db = new Fixtures(parley);
    long before = db.count(Collections.CHANNELS, Filters.empty());
    Http.Response bad = parley.http().post("/api/channels", TestParley.ADMIN, new JsonObject().put("type", "telegram")
        .put("name", "bot").put("settings", new JsonObject().put("botToken", "999:wrong").put("apiUrl", bot.url())));
    assertEquals(422, bad.status(), bad.toString());
    assertEquals("bad_bot_token", bad.error().getString("code"));
    assertEquals("settings.botToken", bad.error().getString("field"));
    Http.Response badEdit = parley.http().patch("/api/channels/" + id, TestParley.ADMIN,
        new JsonObject().put("settings", new JsonObject().put("botToken", "999:wrong")));
    assertEquals(422, badEdit.status(), badEdit.toString());

    Http.Response down = parley.http().post("/api/channels", TestParley.ADMIN, new JsonObject().put("type", "telegram")
        .put("name", "bot").put("settings", new JsonObject().put("botToken", TOKEN).put("apiUrl", "http://127.0.0.1:9")));
    assertEquals(502, down.status(), down.toString());
    assertEquals("platform_unreachable", down.error().getString("code"));
    assertEquals(before, db.count(Collections.CHANNELS, Filters.empty()));
  }

  @Test
  void longPollingKeepsItsOffsetAcrossARestart() {
    Path data = TestParley.tempDir();
    parley = TestParley.start(data, FAST, Clock.systemUTC());
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    parley.parley().app().vertx().eventBus().<JsonObject>consumer(EventAddresses.INCOMING_MESSAGE, m -> published.add(m.body()));
    String id = channel(new JsonObject().put("botToken", TOKEN));
    bot.write(501, "Ann_Smith", "Ann", "hello");
    bot.write(501, "Ann_Smith", "Ann", "are you there?");
    bot.shareContact(502, null, "Bob", "+7 912 345-67-89");
    Fixtures db = new Fixtures(parley);
    Poll.until("two messages in the inbox", Duration.ofSeconds(20), () -> db.count(Collections.INBOUND, Filters.empty()), n -> n == 2);
    Poll.until("the offset saved", Duration.ofSeconds(20), () -> db.find(Collections.TELEGRAM_POLLING, id), d -> d != null && d.getInteger("offset") == 1003);
    assertEquals(List.of("hello", "are you there?"), published.stream().map(m -> m.getString("text")).toList());
    assertEquals("501", published.get(0).getString("from"));
    Document ann = db.find(Collections.TELEGRAM_CONTACTS, id + ":chat:501");
    assertEquals("Ann_Smith", ann.getString("username"));
    assertEquals("501", db.find(Collections.TELEGRAM_CONTACTS, id + ":@ann_smith").getString("chatId"));
    assertEquals("502", db.find(Collections.TELEGRAM_CONTACTS, id + ":+79123456789").getString("chatId"));
    parley.close();

    bot.write(501, "Ann_Smith", "Ann", "still here");
    int pollsBefore = bot.calls("getUpdates").size();
    parley = TestParley.start(data, FAST, Clock.systemUTC());
    Fixtures again = new Fixtures(parley);
    Poll.until("the third message", Duration.ofSeconds(20), () -> again.count(Collections.INBOUND, Filters.empty()), n -> n == 3);
    assertEquals(1003L, bot.calls("getUpdates").get(pollsBefore).params().getLong("offset"),
        "the first poll after the restart starts after the updates already handled");
    assertEquals(1, again.count(Collections.INBOUND, Filters.eq("text", "hello")));
  }

  @Test
  void webhookChecksTheSecretAndIgnoresRepeats() {
    parley = TestParley.start(TestParley.tempDir(), FAST, Clock.systemUTC());
    String id = channel(new JsonObject().put("botToken", TOKEN).put("mode", "webhook").put("webhookSecret", "s3cret_Token-1"));
    FakeBotApi.Call registered = Poll.until("setWebhook", Duration.ofSeconds(20), () -> bot.calls("setWebhook"), l -> !l.isEmpty()).get(0);
    assertEquals("s3cret_Token-1", registered.params().getString("secret_token"));
    assertEquals(parley.http().base() + "/webhooks/telegram/" + id,
        registered.params().getString("url").replace("localhost", "127.0.0.1"));
    assertEquals(0, bot.calls("getUpdates").size(), "a webhook channel is not polled");

    String update = bot.write(601, "carl_jones", "Carl", "hi there").encode();
    Fixtures db = new Fixtures(parley);
    for (String secret : new String[] {null, "wrong", "s3cret_Token-"}) {
      Http.Response r = post(id, update, secret);
      assertEquals(401, r.status(), r.toString());
      assertEquals("bad_secret", r.error().getString("code"));
    }
    assertEquals(0, db.count(Collections.INBOUND, Filters.empty()));
    assertNull(db.find(Collections.TELEGRAM_CONTACTS, id + ":chat:601"), "nothing stored for a refused request");

    assertEquals(200, post(id, update, "s3cret_Token-1").status());
    assertEquals(200, post(id, update, "s3cret_Token-1").status());
    assertEquals(1, db.count(Collections.INBOUND, Filters.empty()), "a repeated update is kept once");
    assertNotNull(db.find(Collections.TELEGRAM_CONTACTS, id + ":@carl_jones"));

    assertEquals(400, post(id, "{not json", "s3cret_Token-1").status());
    assertEquals(400, post(id, "{\"message\": {}}", "s3cret_Token-1").status());
    assertEquals(404, post("000000000000000000000000", update, "s3cret_Token-1").status());
  }

  private Http.Response post(String channelId, String body, String secret) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(parley.http().base() + "/webhooks/telegram/" + channelId))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) b.header(TelegramWebhookRoutes.SECRET_HEADER, secret);
    return parley.http().send(b);
  }
}
