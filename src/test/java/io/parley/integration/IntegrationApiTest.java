package io.parley.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Http;
import io.parley.support.ResourceApiTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class IntegrationApiTest extends ResourceApiTest {

  static JsonObject crm() {
    return new JsonObject().put("name", "CRM").put("url", "https://crm.example.com/hooks/parley");
  }

  Http.Response create(JsonObject body) {
    Http.Response r = http.post("/api/integrations", marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r;
  }

  @Test
  void createdWithDefaultsAndASecretShownOnce() {
    Http.Response created = create(crm());
    JsonObject i = created.json();
    assertEquals(new JsonArray().add("dialogue.succeeded"), i.getJsonArray("events"));
    assertTrue(i.getBoolean("enabled"));
    String secret = i.getString("secret");
    assertTrue(secret.startsWith("whsec_"), secret);
    assertEquals(24, Base64.getDecoder().decode(secret.substring(6)).length);
    String id = i.getString("id");
    assertEquals(secret, db.find(Collections.INTEGRATIONS, id).getString("secret"));
    Http.Response patched = http.patch("/api/integrations/" + id, marketer, new JsonObject().put("enabled", false)
        .put("events", new JsonArray().add("dialogue.closed").add("task.completed")));
    assertEquals(200, patched.status(), patched.toString());
    assertFalse(patched.json().getBoolean("enabled"));
    assertEquals("CRM", patched.json().getString("name"));
    for (Http.Response r : List.of(patched, http.get("/api/integrations/" + id, marketer), http.get("/api/integrations", marketer))) {
      assertEquals(200, r.status());
      assertFalse(r.body().contains(secret), r.body());
      assertFalse(r.body().contains("\"secret\""), r.body());
    }
    assertEquals(secret, db.find(Collections.INTEGRATIONS, id).getString("secret"), "a patch keeps the secret");
  }

  @Test
  void rotatingTheSecretShowsTheNewOneOnce() {
    Http.Response created = create(crm());
    String id = created.json().getString("id");
    String old = created.json().getString("secret");
    Http.Response rotated = http.post("/api/integrations/" + id + "/secret", marketer, null);
    assertEquals(200, rotated.status(), rotated.toString());
    String fresh = rotated.json().getString("secret");
    assertNotEquals(old, fresh);
    assertTrue(fresh.startsWith("whsec_"));
    assertEquals(fresh, db.find(Collections.INTEGRATIONS, id).getString("secret"));
    assertFalse(http.get("/api/integrations/" + id, marketer).body().contains(fresh));
    assertEquals(404, http.post("/api/integrations/" + Ids.newId() + "/secret", marketer, null).status());
    assertEquals(403, http.post("/api/integrations/" + id + "/secret", parley.token("manager"), null).status());
    assertEquals(fresh, db.find(Collections.INTEGRATIONS, id).getString("secret"));
  }

  @Test
  void invalidIntegrationsNameTheField() {
    refused(crm().put("url", "ftp://crm.example.com"), "invalid_value", "url");
    refused(crm().put("url", "crm.example.com/hooks"), "invalid_value", "url");
    refused(new JsonObject().put("name", "CRM"), "missing_field", "url");
    refused(crm().put("events", new JsonArray().add("dialogue.succeeded").add("dialogue.opened")), "invalid_value", "events[1]");
    refused(crm().put("events", new JsonArray()), "invalid_value", "events");
    refused(crm().put("events", "dialogue.succeeded"), "wrong_type", "events");
    refused(crm().put("enabled", "yes"), "wrong_type", "enabled");
    refused(crm().put("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "unknown_field", "secret");
    refused(crm().put("name", ""), "invalid_value", "name");
  }

  void refused(JsonObject body, String code, String field) {
    assertRefusedCreate("/api/integrations", Collections.INTEGRATIONS, body, code, field);
  }

  @Test
  void refusedPatchChangesNothing() {
    String id = create(crm()).json().getString("id");
    Document before = db.find(Collections.INTEGRATIONS, id);
    for (JsonObject patch : List.of(new JsonObject().put("secret", "whsec_x"), new JsonObject().putNull("url"),
        new JsonObject().put("events", new JsonArray().add("everything")))) {
      Http.Response r = http.patch("/api/integrations/" + id, marketer, patch);
      assertEquals(400, r.status(), r.toString());
    }
    assertEquals(before, db.find(Collections.INTEGRATIONS, id));
  }

  @Test
  void deleteIsRefusedWhileATaskReportsToIt() {
    String id = create(crm()).json().getString("id");
    db.insert(Collections.TASKS, new Document("_id", Ids.newId()).append("name", "Demo bookings")
        .append("channels", List.of()).append("managers", List.of()).append("ai", Ids.newId()).append("integration", id));
    Http.Response r = http.delete("/api/integrations/" + id, marketer);
    assertEquals(409, r.status(), r.toString());
    assertEquals("in_use", r.error().getString("code"));
    assertTrue(r.error().getString("message").contains("Demo bookings"));
    assertEquals(200, http.get("/api/integrations/" + id, marketer).status());
    String free = create(crm()).json().getString("id");
    assertEquals(204, http.delete("/api/integrations/" + free, marketer).status());
    assertEquals(404, http.delete("/api/integrations/" + free, marketer).status());
  }

  @Test
  void managerTokensAreRefused() {
    String manager = parley.token("manager");
    assertEquals(403, http.get("/api/integrations", manager).status());
    assertEquals(403, http.post("/api/integrations", manager, crm()).status());
  }
}
