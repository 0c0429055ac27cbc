package io.parley.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenApiTest {
  static TestParley parley;
  static Http http;

  @BeforeAll
  static void start() {
    parley = TestParley.start();
    http = parley.http();
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  @Test
  void noTokenIs401WithErrorBody() {
    Http.Response r = http.get("/api/tokens", null);
    assertEquals(401, r.status());
    assertEquals("unauthorized", r.error().getString("code"));
  }

  @Test
  void unknownTokenIs401() {
    Http.Response r = http.get("/api/tokens", "pk_nobody");
    assertEquals(401, r.status());
    assertEquals("the bearer token is not valid", r.error().getString("message"));
  }

  @Test
  void adminIssuesTokenThatWorksAndIsShownOnce() {
    Http.Response created = http.post("/api/tokens", TestParley.ADMIN,
        new JsonObject().put("name", "Ann").put("role", "marketer"));
    assertEquals(201, created.status(), created.toString());
    String token = created.json().getString("token");
    assertTrue(token.startsWith("pk_"));
    Http.Response list = http.get("/api/tokens", TestParley.ADMIN);
    assertEquals(200, list.status());
    assertFalse(list.body().contains(token), "a token is never shown again");
    assertTrue(list.items().stream().anyMatch(o -> ((JsonObject) o).getString("name").equals("Ann")));
  }

  @Test
  void wrongRoleIs403() {
    String marketer = parley.token("marketer");
    Http.Response r = http.post("/api/tokens", marketer, new JsonObject().put("name", "x").put("role", "admin"));
    assertEquals(403, r.status());
    assertEquals("forbidden", r.error().getString("code"));
  }

  @Test
  void badInputNamesTheField() {
    Http.Response r = http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("name", "x").put("role", "boss"));
    assertEquals(400, r.status());
    assertEquals("role", r.error().getString("field"));
    Http.Response missing = http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("role", "manager"));
    assertEquals("name", missing.error().getString("field"));
    Http.Response unknown = http.post("/api/tokens", TestParley.ADMIN,
        new JsonObject().put("name", "x").put("role", "manager").put("colour", "red"));
    assertEquals("colour", unknown.error().getString("field"));
    Http.Response malformed = http.send("/api/tokens", TestParley.ADMIN, "POST", "application/json", "{\"name\": ");
    assertEquals(400, malformed.status());
    assertEquals("malformed_json", malformed.error().getString("code"));
    Http.Response notJson = http.send("/api/tokens", TestParley.ADMIN, "POST", "text/plain", "name=x");
    assertEquals(415, notJson.status());
  }

  @Test
  void oversizeBodyIs413() {
    int before = http.get("/api/tokens", TestParley.ADMIN).items().size();
    int status = http.rawStatus("POST", "/api/tokens", TestParley.ADMIN, "application/json",
        "{\"role\":\"manager\",\"name\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 1_100_000);
    assertEquals(413, status);
    assertEquals(before, http.get("/api/tokens", TestParley.ADMIN).items().size(), "nothing was created");
  }

  @Test
  void revokedTokenStopsWorking() {
    Http.Response created = http.post("/api/tokens", TestParley.ADMIN,
        new JsonObject().put("name", "temp").put("role", "manager"));
    String id = created.json().getString("id");
    String token = created.json().getString("token");
    assertEquals(204, http.delete("/api/tokens/" + id, TestParley.ADMIN).status());
    assertEquals(401, http.get("/api/dialogues", token).status());
    assertEquals(404, http.delete("/api/tokens/" + id, TestParley.ADMIN).status());
  }

  @Test
  void unknownPathIsJson404() {
    Http.Response r = http.get("/api/nothing-here", TestParley.ADMIN);
    assertEquals(404, r.status());
    assertNotNull(r.error());
  }
}
