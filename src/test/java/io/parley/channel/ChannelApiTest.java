package io.parley.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.FakeBotApi;
import io.parley.support.Http;
import io.parley.support.ResourceApiTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class ChannelApiTest extends ResourceApiTest {
  static final String BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  /** Creating or editing a Telegram channel asks the Bot API who the bot is: this one answers. */
  static final FakeBotApi BOT_API = FakeBotApi.anyToken("sales_bot");

  static JsonObject telegram(String name) {
    return new JsonObject().put("type", "telegram").put("name", name)
        .put("settings", new JsonObject().put("botToken", BOT_TOKEN).put("apiUrl", BOT_API.url()));
  }

  static String create(JsonObject body) {
    Http.Response r = http.post("/api/channels", marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  @Test
  void telegramChannelIsCreatedWithDefaultsAndItsTokenIsNeverShown() {
    Http.Response created = http.post("/api/channels", marketer, telegram("Sales bot"));
    assertEquals(201, created.status(), created.toString());
    JsonObject c = created.json();
    assertEquals("telegram", c.getString("type"));
    assertEquals("active", c.getString("state"));
    assertEquals(new JsonObject().put("incoming", true).put("outgoing", true), c.getJsonObject("capabilities"));
    assertEquals(new JsonObject().put("mode", "polling").put("apiUrl", BOT_API.url()).put("botUsername", "sales_bot"),
        c.getJsonObject("settings"));
    assertEquals(new JsonArray().add("botToken"), c.getJsonArray("secretsSet"));
    assertNotNull(java.time.Instant.parse(c.getString("createdAt")));
    assertFalse(c.containsKey("_id"));
    String id = c.getString("id");
    for (Http.Response r : List.of(created, http.get("/api/channels/" + id, marketer), http.get("/api/channels", marketer))) {
      assertEquals(r == created ? 201 : 200, r.status());
      assertFalse(r.body().contains(BOT_TOKEN), "the bot token never leaves Parley: " + r.body());
    }
    assertEquals(BOT_TOKEN, db.find(Collections.CHANNELS, id).get("secrets", Document.class).getString("botToken"),
        "stored for the engine");
    assertTrue(http.get("/api/channels", marketer).items().stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(id)));
  }

  @Test
  void webhookModeGetsAGeneratedSecretThatIsNotShown() {
    JsonObject body = telegram("Hooked");
    body.getJsonObject("settings").put("mode", "webhook");
    String id = create(body);
    String secret = db.find(Collections.CHANNELS, id).get("secrets", Document.class).getString("webhookSecret");
    assertTrue(secret.matches("[A-Za-z0-9_-]{1,256}"), secret);
    Http.Response got = http.get("/api/channels/" + id, marketer);
    assertFalse(got.body().contains(secret));
    assertEquals(new JsonArray().add("botToken").add("webhookSecret"), got.json().getJsonArray("secretsSet"));
  }

  @Test
  void webChannelSecretIsGeneratedAndShownOnlyOnce() {
    Http.Response created = http.post("/api/channels", marketer, new JsonObject().put("type", "web").put("name", "Site")
        .put("settings", new JsonObject().put("callbackUrl", "https://example.com/parley")));
    assertEquals(201, created.status(), created.toString());
    String secret = created.json().getString("secret");
    assertTrue(secret.startsWith("whsec_"), secret);
    String id = created.json().getString("id");
    assertEquals(secret, db.find(Collections.CHANNELS, id).get("secrets", Document.class).getString("secret"));
    Http.Response patched = http.patch("/api/channels/" + id, marketer, new JsonObject().put("name", "Site 2"));
    for (Http.Response r : List.of(http.get("/api/channels/" + id, marketer), http.get("/api/channels", marketer), patched)) {
      assertEquals(200, r.status(), r.toString());
      assertFalse(r.body().contains(secret), r.body());
    }
  }

  @Test
  void webChannelAcceptsItsOwnSecretAndDoesNotEchoIt() {
    String mine = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    Http.Response created = http.post("/api/channels", marketer, new JsonObject().put("type", "web").put("name", "Own")
        .put("settings", new JsonObject().put("callbackUrl", "http://127.0.0.1:9/in").put("secret", mine)));
    assertEquals(201, created.status(), created.toString());
    assertFalse(created.body().contains(mine));
    assertFalse(created.json().containsKey("secret"));
  }

  @Test
  void whatsappDefaultsAndTier() {
    Http.Response r = http.post("/api/channels", marketer, new JsonObject().put("type", "whatsapp").put("name", "WA")
        .put("settings", new JsonObject().put("phoneNumberId", "106540352242922").put("accessToken", "EAAtok")
            .put("appSecret", "app-s3cret").put("verifyToken", "verify-me").put("messagingTier", 2000)));
    assertEquals(201, r.status(), r.toString());
    assertEquals(new JsonObject().put("phoneNumberId", "106540352242922").put("apiUrl", "https://graph.facebook.com")
        .put("apiVersion", "v23.0").put("messagingTier", "2000"), r.json().getJsonObject("settings"));
    assertEquals(new JsonArray().add("accessToken").add("appSecret").add("verifyToken"), r.json().getJsonArray("secretsSet"));
    for (String secret : List.of("EAAtok", "app-s3cret", "verify-me")) assertFalse(r.body().contains(secret));
  }

  @Test
  void otherPlatformsAndTheirCapabilities() {
    Http.Response avito = http.post("/api/channels", marketer, new JsonObject().put("type", "avito").put("name", "Avito")
        .put("settings", new JsonObject().put("clientId", "cid").put("clientSecret", "csecret")));
    assertEquals(201, avito.status(), avito.toString());
    assertFalse(avito.json().getJsonObject("capabilities").getBoolean("outgoing"), "Avito cannot write first");
    assertEquals("https://api.avito.ru", avito.json().getJsonObject("settings").getString("apiUrl"));
    Http.Response vk = http.post("/api/channels", marketer, new JsonObject().put("type", "vk").put("name", "VK")
        .put("settings", new JsonObject().put("accessToken", "vk1.a.tok").put("groupId", "12345")));
    assertEquals(201, vk.status(), vk.toString());
    assertEquals("12345", vk.json().getJsonObject("settings").getString("groupId"));
    Http.Response ig = http.post("/api/channels", marketer, new JsonObject().put("type", "instagram").put("name", "IG")
        .put("settings", new JsonObject().put("accessToken", "IGtok").put("apiUrl", "http://127.0.0.1:8080")));
    assertEquals(201, ig.status(), ig.toString());
    assertEquals("http://127.0.0.1:8080", ig.json().getJsonObject("settings").getString("apiUrl"));
  }
}
