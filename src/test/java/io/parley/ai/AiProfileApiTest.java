package io.parley.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Http;
import io.parley.support.ResourceApiTest;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class AiProfileApiTest extends ResourceApiTest {
  static final String API_KEY = "sk-test-0123456789abcdef";

  static JsonObject scripted() {
    return new JsonObject().put("name", "Polite bot").put("provider", "scripted").put("scripted", new JsonObject()
        .put("rules", new JsonArray()
            .add(new JsonObject().put("pattern", "\\b(yes|sure)\\b").put("reply", "Great, {{name}}!").put("outcome", "success"))
            .add(new JsonObject().put("pattern", "stop").put("reply", "Sorry to bother you.").put("outcome", "opted_out")))
        .put("fallback", "Could you tell me more?"));
  }

  static JsonObject openai() {
    return new JsonObject().put("name", "GPT").put("provider", "openai").put("openai", new JsonObject()
        .put("baseUrl", "http://127.0.0.1:11434/v1").put("apiKey", API_KEY).put("model", "gpt-4o-mini")
        .put("prices", new JsonObject().put("promptPerMillion", "0.15").put("completionPerMillion", 0.6)));
  }

  Http.Response create(JsonObject body) {
    Http.Response r = http.post("/api/ai-profiles", marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r;
  }

  @Test
  void scriptedProfileRoundTrips() {
    Http.Response created = create(scripted());
    JsonObject p = created.json();
    assertEquals("scripted", p.getString("provider"));
    assertEquals(scripted().getJsonObject("scripted"), p.getJsonObject("scripted"));
    assertNull(p.getValue("openai"));
    assertEquals(new JsonArray(), p.getJsonArray("secretsSet"));
    Http.Response got = http.get("/api/ai-profiles/" + p.getString("id"), marketer);
    assertEquals(p, got.json());
    assertTrue(http.get("/api/ai-profiles", marketer).items().contains(p));
  }

  @Test
  void rulesMayBeOmittedWhenThereIsAFallback() {
    Http.Response r = create(new JsonObject().put("name", "Echo").put("scripted", new JsonObject().put("fallback", "Hi")));
    assertEquals("scripted", r.json().getString("provider"), "scripted is the default provider");
    assertEquals(new JsonArray(), r.json().getJsonObject("scripted").getJsonArray("rules"));
  }

  @Test
  void openaiProfileAppliesDefaultsKeepsPricesExactAndHidesTheKey() {
    Http.Response created = create(openai());
    JsonObject p = created.json();
    JsonObject o = p.getJsonObject("openai");
    assertEquals(new JsonObject().put("promptPerMillion", "0.15").put("completionPerMillion", "0.6"), o.getJsonObject("prices"));
    assertEquals(0, new BigDecimal("0.7").compareTo(new BigDecimal(o.getValue("temperature").toString())));
    assertEquals(512, o.getInteger("maxCompletionTokens"));
    assertNull(p.getValue("scripted"));
    assertEquals(new JsonArray().add("apiKey"), p.getJsonArray("secretsSet"));
    String id = p.getString("id");
    Document stored = db.find(Collections.AI_PROFILES, id);
    assertEquals(API_KEY, stored.get("secrets", Document.class).getString("apiKey"));
    assertEquals(new Decimal128(new BigDecimal("0.15")),
        stored.get("openai", Document.class).get("prices", Document.class).get("promptPerMillion"));
    Http.Response patched = http.patch("/api/ai-profiles/" + id, marketer,
        new JsonObject().put("openai", new JsonObject().put("temperature", "1.25").put("model", "llama3")));
    assertEquals(200, patched.status(), patched.toString());
    assertEquals("llama3", patched.json().getJsonObject("openai").getString("model"));
    assertEquals(API_KEY, db.find(Collections.AI_PROFILES, id).get("secrets", Document.class).getString("apiKey"),
        "an omitted key is kept");
    for (Http.Response r : List.of(created, patched, http.get("/api/ai-profiles/" + id, marketer),
        http.get("/api/ai-profiles", marketer))) {
      assertFalse(r.body().contains(API_KEY), r.body());
    }
  }

  @Test
  void switchingProviderDropsTheOldSettings() {
    String id = create(openai()).json().getString("id");
    Http.Response r = http.patch("/api/ai-profiles/" + id, marketer, new JsonObject().put("provider", "scripted")
        .put("scripted", new JsonObject().put("fallback", "Hello")));
    assertEquals(200, r.status(), r.toString());
    assertNull(r.json().getValue("openai"));
    assertEquals(new JsonArray(), r.json().getJsonArray("secretsSet"), "the key went with the openai settings");
  }

  @Test
  void invalidProfilesNameTheFieldAndChangeNothing() {
    JsonObject badRule = scripted();
    badRule.getJsonObject("scripted").getJsonArray("rules").getJsonObject(1).put("pattern", "(unclosed");
    refused(badRule, "invalid_value", "scripted.rules[1].pattern");
    JsonObject badOutcome = scripted();
    badOutcome.getJsonObject("scripted").getJsonArray("rules").getJsonObject(0).put("outcome", "maybe");
    refused(badOutcome, "invalid_value", "scripted.rules[0].outcome");
    JsonObject noReply = scripted();
    noReply.getJsonObject("scripted").getJsonArray("rules").getJsonObject(0).remove("reply");
    refused(noReply, "missing_field", "scripted.rules[0].reply");
    JsonObject ruleNotObject = scripted();
    ruleNotObject.getJsonObject("scripted").getJsonArray("rules").add("hello");
    refused(ruleNotObject, "wrong_type", "scripted.rules[2]");
    refused(scripted().put("openai", openai().getJsonObject("openai")), "invalid_value", "openai");
    refused(new JsonObject().put("name", "x").put("scripted", new JsonObject()), "missing_field", "scripted.fallback");
    refused(new JsonObject().put("name", "x").put("provider", "openai"), "missing_field", "openai");
    refused(new JsonObject().put("name", "x").put("provider", "claude"), "invalid_value", "provider");
    refused(scripted().put("temperature", 1), "unknown_field", "temperature");
    refused(scripted().put("name", 12), "wrong_type", "name");
    refusedOpenai("baseUrl", "file:///etc/passwd", "invalid_value");
    refusedOpenai("model", null, "missing_field");
    refusedOpenai("temperature", 2.5, "invalid_value");
    refusedOpenai("temperature", "warm", "invalid_value");
    refusedOpenai("maxCompletionTokens", 0, "invalid_value");
    refusedOpenai("maxCompletionTokens", 40000, "invalid_value");
    refusedOpenai("maxCompletionTokens", 1.5, "wrong_type");
    refusedOpenai("stream", true, "unknown_field");
    JsonObject negativePrice = openai();
    negativePrice.getJsonObject("openai").getJsonObject("prices").put("promptPerMillion", "-1");
    refused(negativePrice, "invalid_value", "openai.prices.promptPerMillion");
    JsonObject textPrice = openai();
    textPrice.getJsonObject("openai").getJsonObject("prices").put("completionPerMillion", "cheap");
    refused(textPrice, "invalid_value", "openai.prices.completionPerMillion");
  }

  void refusedOpenai(String field, Object value, String code) {
    JsonObject body = openai();
    if (value == null) body.getJsonObject("openai").remove(field);
    else body.getJsonObject("openai").put(field, value);
    refused(body, code, "openai." + field);
  }

  void refused(JsonObject body, String code, String field) {
    assertRefusedCreate("/api/ai-profiles", Collections.AI_PROFILES, body, code, field);
  }

  @Test
  void refusedPatchChangesNothing() {
    String id = create(scripted()).json().getString("id");
    Document before = db.find(Collections.AI_PROFILES, id);
    Http.Response r = http.patch("/api/ai-profiles/" + id, marketer, new JsonObject().put("scripted",
        new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("pattern", "[").put("reply", "x")))));
    assertEquals(400, r.status(), r.toString());
    assertEquals("scripted.rules[0].pattern", r.error().getString("field"));
    assertEquals(before, db.find(Collections.AI_PROFILES, id));
    assertEquals(404, http.patch("/api/ai-profiles/" + Ids.newId(), marketer, new JsonObject().put("name", "x")).status());
    Http.Response malformed = http.send("/api/ai-profiles/" + id, marketer, "PATCH", "application/json", "{");
    assertEquals("malformed_json", malformed.error().getString("code"));
    assertEquals(before, db.find(Collections.AI_PROFILES, id));
  }

  @Test
  void deleteIsRefusedWhileATaskUsesTheProfile() {
    String id = create(scripted()).json().getString("id");
    db.insert(Collections.TASKS, new Document("_id", Ids.newId()).append("name", "Webinar invites")
        .append("channels", List.of()).append("managers", List.of()).append("ai", id).append("integration", null));
    Http.Response r = http.delete("/api/ai-profiles/" + id, marketer);
    assertEquals(409, r.status(), r.toString());
    assertEquals("in_use", r.error().getString("code"));
    assertTrue(r.error().getString("message").contains("Webinar invites"));
    assertEquals(200, http.get("/api/ai-profiles/" + id, marketer).status());
    String unused = create(scripted()).json().getString("id");
    assertEquals(204, http.delete("/api/ai-profiles/" + unused, marketer).status());
    assertEquals(404, http.get("/api/ai-profiles/" + unused, marketer).status());
    assertEquals(404, http.delete("/api/ai-profiles/" + unused, marketer).status());
  }

  @Test
  void managersMayNotTouchProfiles() {
    String manager = parley.token("manager");
    assertEquals(403, http.get("/api/ai-profiles", manager).status());
    assertEquals(403, http.post("/api/ai-profiles", manager, scripted()).status());
    assertEquals(201, http.post("/api/ai-profiles", TestParley.ADMIN, scripted()).status());
  }
}
