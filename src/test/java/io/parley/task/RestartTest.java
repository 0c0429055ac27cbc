package io.parley.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.support.Fixtures;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What was stored survives a restart on the same data directory. */
class RestartTest {
  @Test
  void tasksAndTokensSurviveARestart() {
    Path dir = TestParley.tempDir();
    String marketer;
    String id;
    JsonObject before;
    try (TestParley first = TestParley.start(dir, Map.of(), Clock.systemUTC())) {
      Fixtures db = new Fixtures(first);
      marketer = first.token("marketer");
      JsonObject body = new JsonObject().put("name", "Survivor").put("type", "web").put("format", "incoming_outgoing")
          .put("channels", new JsonArray().add(db.channel("web"))).put("managers", new JsonArray().add(db.manager("M")))
          .put("ai", db.ai("A")).put("spendLimitPerDialogue", "3.25")
          .put("workingHours", new JsonObject().put("from", 22).put("to", 6)).put("dailyLimitPerChannel", 50)
          .put("pauseBetweenDialogues", 4).put("openingMessage", new JsonObject().put("text", "Hi {{name}}"));
      id = first.http().post("/api/tasks", marketer, body).json().getString("id");
      assertEquals(200, first.http().post("/api/tasks/" + id + "/start", marketer, null).status());
      before = first.http().get("/api/tasks/" + id, marketer).json();
    }
    try (TestParley second = TestParley.start(dir, Map.of(), Clock.systemUTC())) {
      JsonObject after = second.http().get("/api/tasks/" + id, marketer).json();
      assertEquals(before, after);
      assertEquals("in_progress", after.getString("status"));
    }
  }
}
