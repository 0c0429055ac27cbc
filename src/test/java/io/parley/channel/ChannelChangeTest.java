package io.parley.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.FakeBotApi;
import io.parley.support.Http;
import io.parley.support.ResourceApiTest;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** PATCH, DELETE and who may touch channels at all. */
class ChannelChangeTest extends ResourceApiTest {
  static final FakeBotApi OTHER_BOT_API = FakeBotApi.anyToken("other_bot");

  String telegram() {
    Http.Response r = http.post("/api/channels", marketer, ChannelApiTest.telegram("Bot"));
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  Document secrets(String id) {
    return db.find(Collections.CHANNELS, id).get("secrets", Document.class);
  }

  @Test
  void patchMergesSettingsAndKeepsOmittedSecrets() {
    String id = telegram();
    Http.Response r = http.patch("/api/channels/" + id, marketer, new JsonObject().put("name", "Renamed")
        .put("settings", new JsonObject().put("apiUrl", OTHER_BOT_API.url())));
    assertEquals(200, r.status(), r.toString());
    assertEquals("Renamed", r.json().getString("name"));
    assertEquals(OTHER_BOT_API.url(), r.json().getJsonObject("settings").getString("apiUrl"));
    assertEquals("other_bot", r.json().getJsonObject("settings").getString("botUsername"), "asked again at each edit");
    assertEquals("polling", r.json().getJsonObject("settings").getString("mode"));
    assertEquals(ChannelApiTest.BOT_TOKEN, secrets(id).getString("botToken"), "an omitted secret is kept");
    assertFalse(r.body().contains(ChannelApiTest.BOT_TOKEN));
    assertFalse(java.time.Instant.parse(r.json().getString("updatedAt"))
        .isBefore(java.time.Instant.parse(r.json().getString("createdAt"))));
    assertEquals("active", r.json().getString("state"));
  }

  @Test
  void patchReplacesASecretWithoutShowingIt() {
    String id = telegram();
    String newToken = "987654321:ZZZnewTokenValue";
    Http.Response r = http.patch("/api/channels/" + id, marketer,
        new JsonObject().put("settings", new JsonObject().put("botToken", newToken)));
    assertEquals(200, r.status(), r.toString());
    assertFalse(r.body().contains(newToken));
    assertEquals(newToken, secrets(id).getString("botToken"));
  }

  @Test
  void patchIsRefusedWithoutChangingAnything() {
    String id = telegram();
    refusedPatch(id, new JsonObject().put("type", "web"), 409, "immutable", "type");
    refusedPatch(id, new JsonObject().put("settings", new JsonObject().put("mode", "carrier-pigeon")), 400,
        "invalid_value", "settings.mode");
    refusedPatch(id, new JsonObject().put("settings", new JsonObject().putNull("botToken")), 400,
        "invalid_value", "settings.botToken");
    refusedPatch(id, new JsonObject().putNull("name"), 400, "missing_field", "name");
    refusedPatch(id, new JsonObject().put("name", List.of("a")), 400, "wrong_type", "name");
    refusedPatch(id, new JsonObject().put("owner", "me"), 400, "unknown_field", "owner");
    refusedPatch(id, new JsonObject().put("settings", new JsonObject().put("extra", 1)), 400, "unknown_field",
        "settings.extra");
    Http.Response same = http.patch("/api/channels/" + id, marketer, new JsonObject().put("type", "telegram"));
    assertEquals(200, same.status(), "naming the current type changes nothing and is allowed");
  }

  void refusedPatch(String id, JsonObject body, int status, String code, String field) {
    Document before = db.find(Collections.CHANNELS, id);
    Http.Response r = http.patch("/api/channels/" + id, marketer, body);
    assertEquals(status, r.status(), r.toString());
    assertEquals(code, r.error().getString("code"), r.toString());
    assertEquals(field, r.error().getString("field"), r.toString());
    assertEquals(before, db.find(Collections.CHANNELS, id));
  }

  @Test
  void unknownIdsAre404() {
    String unknown = Ids.newId();
    assertEquals(404, http.get("/api/channels/" + unknown, marketer).status());
    assertEquals(404, http.get("/api/channels/not-an-id", marketer).status());
    Http.Response patch = http.patch("/api/channels/" + unknown, marketer, new JsonObject().put("name", "x"));
    assertEquals(404, patch.status());
    assertEquals("not_found", patch.error().getString("code"));
    assertEquals(404, http.delete("/api/channels/" + unknown, marketer).status());
  }

  @Test
  void deleteRemovesTheChannel() {
    String id = telegram();
    assertEquals(204, http.delete("/api/channels/" + id, marketer).status());
    assertEquals(404, http.get("/api/channels/" + id, marketer).status());
    assertEquals(404, http.delete("/api/channels/" + id, marketer).status());
  }

  @Test
  void channelUsedByATaskCannotBeDeleted() {
    String id = telegram();
    String taskId = Ids.newId();
    db.insert(Collections.TASKS, new Document("_id", taskId).append("name", "Spring sale")
        .append("channels", List.of(Ids.newId(), id)).append("managers", List.of()).append("ai", Ids.newId())
        .append("integration", null));
    Document before = db.find(Collections.CHANNELS, id);
    Http.Response r = http.delete("/api/channels/" + id, marketer);
    assertEquals(409, r.status(), r.toString());
    assertEquals("in_use", r.error().getString("code"));
    assertTrue(r.error().getString("message").contains("Spring sale"), r.toString());
    assertTrue(r.error().getString("message").contains(taskId), r.toString());
    assertEquals(before, db.find(Collections.CHANNELS, id), "still there, unchanged");
  }

  @Test
  void onlyMarketersAndAdminsManageChannels() {
    String manager = parley.token("manager");
    String integration = parley.token("integration");
    List<Document> before = db.all(Collections.CHANNELS);
    for (String token : List.of(manager, integration)) {
      Http.Response post = http.post("/api/channels", token, ChannelApiTest.telegram("Nope"));
      assertEquals(403, post.status(), post.toString());
      assertEquals("forbidden", post.error().getString("code"));
      assertEquals(403, http.get("/api/channels", token).status());
    }
    assertEquals(before, db.all(Collections.CHANNELS));
    assertEquals(401, http.get("/api/channels", null).status());
    Http.Response admin = http.post("/api/channels", TestParley.ADMIN, ChannelApiTest.telegram("By admin"));
    assertEquals(201, admin.status(), admin.toString());
    assertEquals(200, http.get("/api/channels/" + admin.json().getString("id"), marketer).status());
  }
}
