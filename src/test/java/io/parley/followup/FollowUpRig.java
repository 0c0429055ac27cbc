package io.parley.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.Http;
import io.parley.support.MutableClock;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** A Parley on a hand-moved clock, and the calls the follow-up tests make on it. */
final class FollowUpRig implements AutoCloseable {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-06T07:30:00Z"));
  final TestParley parley = TestParley.start(TestParley.tempDir(),
      Map.of("dispatch.enabled", "false", "followup.checkSeconds", "86400"), clock);
  final Http http = parley.http();
  final Fixtures db = new Fixtures(parley);

  /** A virtual manager and the manager token that operates it. */
  record Manager(String id, String token, String tokenId) {}

  Manager manager(String name, String timezone, String group) {
    Http.Response t = http.post("/api/tokens", TestParley.ADMIN, new JsonObject().put("name", name).put("role", "manager"));
    assertEquals(201, t.status(), t.toString());
    String id = Ids.newId();
    db.insert(Collections.MANAGERS, new Document("_id", id).append("name", name).append("persona", "")
        .append("operators", List.of(t.json().getString("id"))).append("timezone", timezone).append("group", group)
        .append("createdAt", new Date()));
    return new Manager(id, t.json().getString("token"), t.json().getString("id"));
  }

  Manager manager(String name) {
    return manager(name, null, null);
  }

  /** Creates a lead task as {@code token}; answers it. */
  JsonObject lead(String token, JsonObject body) {
    Http.Response r = http.post("/api/manager-tasks", token, body);
    assertEquals(201, r.status(), r.toString());
    return r.json();
  }

  JsonObject lead(Manager m, String text, String date) {
    return lead(m.token(), new JsonObject().put("text", text).put("date", date).put("assigned_to", m.id()));
  }

  Http.Response list(String token, String query) {
    return http.get("/api/manager-tasks" + (query.isEmpty() ? "" : "?" + query), token);
  }

  Http.Response list(String token, String query, String tzHeader) {
    HttpRequest.Builder b = http.builder("/api/manager-tasks?" + query, token).GET().header("X-TZ-Offset", tzHeader);
    return http.send(b);
  }

  /** The ids of one page, in order; fails unless the answer is 200. */
  List<String> ids(String token, String query) {
    Http.Response r = list(token, query);
    assertEquals(200, r.status(), r.toString());
    return ids(r.json().getJsonArray("items"));
  }

  static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) ids.add(items.getJsonObject(i).getString("id"));
    return ids;
  }

  Http.Response put(String path, String token, JsonObject body) {
    return http.send(path, token, "PUT", "application/json", body.encode());
  }

  Http.Response put(String path, String token, String rawBody) {
    return http.send(path, token, "PUT", "application/json", rawBody);
  }

  Document task(String id) {
    return db.find(Collections.MANAGER_TASKS, id);
  }

  @Override
  public void close() {
    parley.close();
  }
}
