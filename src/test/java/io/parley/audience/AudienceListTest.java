package io.parley.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AudienceListTest {
  static TestParley parley;
  static Http http;
  static AudienceFixture fixture;
  static String marketer;

  @BeforeAll
  static void start() {
    parley = TestParley.start();
    http = parley.http();
    fixture = new AudienceFixture(parley.parley().app());
    marketer = parley.token("marketer");
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  private static String taskWithIds(int n) {
    String task = fixture.outgoingTask("vk");
    StringBuilder body = new StringBuilder();
    for (int i = 1; i <= n; i++) body.append(i).append('\n');
    assertEquals(n, http.send("/api/tasks/" + task + "/audience", marketer, "POST", "text/plain", body.toString())
        .json().getLong("accepted"));
    return task;
  }

  @Test
  void pagesFollowUploadOrder() {
    String task = taskWithIds(25);
    List<String> seen = new ArrayList<>();
    Object after = null;
    int pages = 0;
    do {
      Http.Response r = http.get("/api/tasks/" + task + "/audience?limit=10" + (after == null ? "" : "&after=" + after), marketer);
      assertEquals(200, r.status(), r.toString());
      r.items().forEach(o -> seen.add(((JsonObject) o).getString("address")));
      after = r.json().getValue("next");
      pages++;
    } while (after != null);
    assertEquals(3, pages);
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 25; i++) expected.add(Integer.toString(i));
    assertEquals(expected, seen);
  }

  @Test
  void entriesCarryTheirStateAndCanBeFilteredByIt() {
    String task = taskWithIds(5);
    fixture.setState(task, List.of("2", "4"), TargetState.SENT);
    JsonArray all = http.get("/api/tasks/" + task + "/audience", marketer).items();
    assertEquals(5, all.size());
    JsonObject first = all.getJsonObject(0);
    assertEquals(new JsonObject().put("address", "1").put("kind", "vk_user").put("fields", new JsonObject())
        .put("state", "pending").put("reason", null).put("line", 1L), first);
    Http.Response sent = http.get("/api/tasks/" + task + "/audience?state=sent", marketer);
    assertEquals(List.of("2", "4"), sent.items().stream().map(o -> ((JsonObject) o).getString("address")).toList());
    assertNull(sent.json().getValue("next"));
    assertEquals(3, http.get("/api/tasks/" + task + "/audience?state=pending", marketer).items().size());
  }

  @Test
  void badQueriesNameTheParameter() {
    String task = taskWithIds(1);
    String base = "/api/tasks/" + task + "/audience?";
    Http.Response state = http.get(base + "state=done", marketer);
    assertEquals(400, state.status());
    assertEquals("state", state.error().getString("field"));
    assertEquals("limit", http.get(base + "limit=0", marketer).error().getString("field"));
    assertEquals("limit", http.get(base + "limit=1001", marketer).error().getString("field"));
    assertEquals("after", http.get(base + "after=-1", marketer).error().getString("field"));
    assertEquals("after", http.get(base + "after=x", marketer).error().getString("field"));
    assertEquals(404, http.get("/api/tasks/0123456789abcdef01234567/audience", marketer).status());
    assertEquals(403, http.get(base, parley.token("integration")).status());
  }
}
