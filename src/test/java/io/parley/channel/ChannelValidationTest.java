package io.parley.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.parley.store.Collections;
import io.parley.support.Http;
import io.parley.support.ResourceApiTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Every refused channel names the field and leaves the store as it was. */
class ChannelValidationTest extends ResourceApiTest {

  static JsonObject channel(String type, JsonObject settings) {
    return new JsonObject().put("type", type).put("name", "c").put("settings", settings);
  }

  static JsonObject telegramWith(String field, Object value) {
    return new JsonObject().put("botToken", ChannelApiTest.BOT_TOKEN).put(field, value);
  }

  static JsonObject whatsappWith(String field, Object value) {
    JsonObject s = new JsonObject().put("phoneNumberId", "1065").put("accessToken", "a").put("appSecret", "b")
        .put("verifyToken", "c");
    if (value == null) s.remove(field);
    else s.put(field, value);
    return s;
  }

  void refused(JsonObject body, int status, String code, String field) {
    List<Document> before = db.all(Collections.CHANNELS);
    Http.Response r = http.post("/api/channels", marketer, body);
    assertEquals(status, r.status(), r.toString());
    assertEquals(code, r.error().getString("code"), r.toString());
    assertEquals(field, r.error().getString("field"), r.toString());
    assertEquals(before, db.all(Collections.CHANNELS), "a refused request changes nothing");
  }

  @Test
  void topLevelFields() {
    refused(new JsonObject().put("name", "x").put("settings", new JsonObject()), 400, "missing_field", "type");
    refused(channel("fax", new JsonObject()), 400, "invalid_value", "type");
    refused(channel("telegram", telegramWith("mode", "polling")).put("name", 7), 400, "wrong_type", "name");
    refused(channel("telegram", telegramWith("mode", "polling")).put("name", " "), 400, "invalid_value", "name");
    refused(channel("telegram", telegramWith("mode", "polling")).put("name", "x".repeat(201)), 400, "invalid_value", "name");
    refused(channel("telegram", telegramWith("mode", "polling")).put("colour", "red"), 400, "unknown_field", "colour");
    refused(new JsonObject().put("type", "telegram").put("name", "x"), 400, "missing_field", "settings");
    refused(channel("telegram", null).put("settings", "token"), 400, "wrong_type", "settings");
  }

  @Test
  void telegramSettings() {
    refused(channel("telegram", new JsonObject()), 400, "missing_field", "settings.botToken");
    refused(channel("telegram", telegramWith("botToken", "not a token")), 400, "invalid_value", "settings.botToken");
    refused(channel("telegram", telegramWith("mode", "push")), 400, "invalid_value", "settings.mode");
    refused(channel("telegram", telegramWith("webhookSecret", "has spaces!")), 400, "invalid_value", "settings.webhookSecret");
    refused(channel("telegram", telegramWith("webhookSecret", "a".repeat(257))), 400, "invalid_value", "settings.webhookSecret");
    refused(channel("telegram", telegramWith("apiUrl", "ftp://example.com")), 400, "invalid_value", "settings.apiUrl");
    refused(channel("telegram", telegramWith("apiUrl", "not a url")), 400, "invalid_value", "settings.apiUrl");
    refused(channel("telegram", telegramWith("callbackUrl", "https://x.io")), 400, "unknown_field", "settings.callbackUrl");
  }

  @Test
  void invalidSecretIsNotQuotedInTheError() {
    Http.Response r = http.post("/api/channels", marketer, channel("telegram", telegramWith("botToken", "s3cret-value")));
    assertEquals(400, r.status());
    assertFalse(r.body().contains("s3cret-value"), r.body());
  }

  @Test
  void whatsappSettings() {
    refused(channel("whatsapp", whatsappWith("phoneNumberId", "+1065")), 400, "invalid_value", "settings.phoneNumberId");
    refused(channel("whatsapp", whatsappWith("appSecret", null)), 400, "missing_field", "settings.appSecret");
    refused(channel("whatsapp", whatsappWith("verifyToken", null)), 400, "missing_field", "settings.verifyToken");
    refused(channel("whatsapp", whatsappWith("accessToken", 42)), 400, "wrong_type", "settings.accessToken");
    refused(channel("whatsapp", whatsappWith("apiVersion", "23.0")), 400, "invalid_value", "settings.apiVersion");
    refused(channel("whatsapp", whatsappWith("messagingTier", 300)), 400, "invalid_value", "settings.messagingTier");
    refused(channel("whatsapp", whatsappWith("messagingTier", true)), 400, "wrong_type", "settings.messagingTier");
    refused(channel("whatsapp", whatsappWith("prices", "0.06")), 400, "wrong_type", "settings.prices");
    refused(channel("whatsapp", whatsappWith("prices", new JsonObject().put("promo", "1"))), 400, "unknown_field", "settings.prices.promo");
    refused(channel("whatsapp", whatsappWith("prices", new JsonObject().put("marketing", "-0.01"))), 400, "invalid_value", "settings.prices.marketing");
    refused(channel("whatsapp", whatsappWith("prices", new JsonObject().put("utility", "0.0000001"))), 400, "invalid_value", "settings.prices.utility");
    refused(channel("whatsapp", whatsappWith("prices", new JsonObject().put("service", true))), 400, "wrong_type", "settings.prices.service");
  }

  @Test
  void webVkAvitoInstagramSettings() {
    refused(channel("web", new JsonObject()), 400, "missing_field", "settings.callbackUrl");
    refused(channel("web", new JsonObject().put("callbackUrl", "https://x.io").put("secret", "plain")),
        400, "invalid_value", "settings.secret");
    refused(channel("web", new JsonObject().put("callbackUrl", "https://x.io").put("secret", "whsec_c2hvcnQ=")),
        400, "invalid_value", "settings.secret");
    refused(channel("vk", new JsonObject()), 400, "missing_field", "settings.accessToken");
    refused(channel("vk", new JsonObject().put("accessToken", "t").put("groupId", "club1")), 400, "invalid_value", "settings.groupId");
    refused(channel("avito", new JsonObject().put("clientSecret", "s")), 400, "missing_field", "settings.clientId");
    refused(channel("avito", new JsonObject().put("clientId", "i")), 400, "missing_field", "settings.clientSecret");
    refused(channel("instagram", new JsonObject()), 400, "missing_field", "settings.accessToken");
  }

  @Test
  void malformedAndNonJsonBodies() {
    List<Document> before = db.all(Collections.CHANNELS);
    Http.Response malformed = http.send("/api/channels", marketer, "POST", "application/json", "{\"type\": ");
    assertEquals(400, malformed.status());
    assertEquals("malformed_json", malformed.error().getString("code"));
    assertEquals(415, http.send("/api/channels", marketer, "POST", "text/plain", "type=web").status());
    assertEquals(before, db.all(Collections.CHANNELS));
  }
}
