package io.parley.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Http;
import io.parley.support.ResourceApiTest;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ManagerApiTest extends ResourceApiTest {
  static String operatorId;
  static String marketerTokenId;

  @BeforeAll
  static void start() {
    operatorId = tokenId("Olga", "manager");
    marketerTokenId = tokenId("Mark", "marketer");
  }

  static String tokenId(String name, String role) {
    Http.Response r = http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("name", name).put("role", role));
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  static JsonObject anna() {
    return new JsonObject().put("name", "Anna").put("persona", "You are Anna, a friendly sales assistant.")
        .put("operators", new JsonArray().add(operatorId)).put("timezone", "Europe/Moscow");
  }

  String create(JsonObject body) {
    Http.Response r = http.post("/api/managers", marketer, body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("id");
  }

  @Test
  void managerRoundTrips() {
    Http.Response created = http.post("/api/managers", marketer, anna());
    assertEquals(201, created.status(), created.toString());
    JsonObject m = created.json();
    assertEquals("Anna", m.getString("name"));
    assertEquals(new JsonArray().add(operatorId), m.getJsonArray("operators"));
    assertEquals("Europe/Moscow", m.getString("timezone"));
    String id = m.getString("id");
    assertEquals(m, http.get("/api/managers/" + id, marketer).json());
    assertTrue(http.get("/api/managers", marketer).items().contains(m));
    Http.Response minimal = http.post("/api/managers", marketer, new JsonObject().put("name", "Bob"));
    assertEquals(201, minimal.status(), minimal.toString());
    assertEquals("", minimal.json().getString("persona"));
    assertEquals(new JsonArray(), minimal.json().getJsonArray("operators"));
    assertNull(minimal.json().getValue("timezone"));
  }

  @Test
  void patchChangesOnlyWhatItNames() {
    String id = create(anna());
    Http.Response r = http.patch("/api/managers/" + id, marketer, new JsonObject().put("persona", "Be brief.").putNull("timezone"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("Be brief.", r.json().getString("persona"));
    assertEquals("Anna", r.json().getString("name"));
    assertNull(r.json().getValue("timezone"));
    assertEquals(new JsonArray().add(operatorId), r.json().getJsonArray("operators"));
  }

  @Test
  void invalidManagersNameTheField() {
    refused(anna().put("name", ""), "invalid_value", "name");
    refused(anna().put("name", "n".repeat(101)), "invalid_value", "name");
    refused(anna().put("persona", "p".repeat(4001)), "invalid_value", "persona");
    refused(anna().put("persona", 5), "wrong_type", "persona");
    refused(anna().put("timezone", "Mars/Olympus"), "invalid_value", "timezone");
    refused(anna().put("timezone", "+03:00"), "invalid_value", "timezone");
    refused(anna().put("operators", "x"), "wrong_type", "operators");
    refused(anna().put("operators", new JsonArray().add(operatorId).add(Ids.newId())), "invalid_value", "operators[1]");
    refused(anna().put("operators", new JsonArray().add(marketerTokenId)), "invalid_value", "operators[0]");
    refused(anna().put("operators", new JsonArray().add(operatorId).add(operatorId)), "invalid_value", "operators[1]");
    refused(anna().put("email", "a@b.c"), "unknown_field", "email");
    JsonObject nameless = anna();
    nameless.remove("name");
    refused(nameless, "missing_field", "name");
  }

  void refused(JsonObject body, String code, String field) {
    assertRefusedCreate("/api/managers", Collections.MANAGERS, body, code, field);
  }

  @Test
  void refusedPatchChangesNothing() {
    String id = create(anna());
    Document before = db.find(Collections.MANAGERS, id);
    Http.Response r = http.patch("/api/managers/" + id, marketer,
        new JsonObject().put("operators", new JsonArray().add(marketerTokenId)));
    assertEquals(400, r.status(), r.toString());
    assertEquals("operators[0]", r.error().getString("field"));
    assertEquals(before, db.find(Collections.MANAGERS, id));
    assertEquals(404, http.patch("/api/managers/" + Ids.newId(), marketer, new JsonObject().put("name", "x")).status());
  }

  @Test
  void deleteIsRefusedWhileATaskUsesTheManager() {
    String id = create(anna());
    db.insert(Collections.TASKS, new Document("_id", Ids.newId()).append("name", "Cold leads")
        .append("channels", List.of()).append("managers", List.of(id)).append("ai", Ids.newId()).append("integration", null));
    Http.Response r = http.delete("/api/managers/" + id, marketer);
    assertEquals(409, r.status(), r.toString());
    assertEquals("in_use", r.error().getString("code"));
    assertTrue(r.error().getString("message").contains("Cold leads"));
    String free = create(anna());
    assertEquals(204, http.delete("/api/managers/" + free, marketer).status());
    assertEquals(404, http.get("/api/managers/" + free, marketer).status());
  }

  @Test
  void managerTokensMayNotEditManagers() {
    String manager = parley.token("manager");
    assertEquals(403, http.get("/api/managers", manager).status());
    assertEquals(403, http.post("/api/managers", manager, anna()).status());
  }
}
