package io.parley.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Fixtures;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** A task's progress lives in its own document; tasks stored by earlier builds are moved there at start-up. */
class TaskProgressTest {
  private static final Map<String, String> QUIET = Map.of("dispatch.enabled", "false");

  @Test
  void progressKeptOnTaskDocumentsByEarlierBuildsMovesOutAtStartUp() throws Exception {
    Path data = TestParley.tempDir();
    String moved = Ids.newId();
    String half = Ids.newId();
    try (TestParley parley = TestParley.start(data, QUIET, Clock.systemUTC())) {
      Fixtures db = new Fixtures(parley);
      db.insert(Collections.TASKS, oldTask(moved).append("cursor", 41L).append("audienceSeq", 2000L)
          .append("managerTurn", 7L)
          .append("counts", new Document("pending", 1959L).append("sending", 1L).append("sent", 38L).append("failed", 2L))
          .append("stats", new Document("dialogues", 38L).append("succeeded", 3L)
              .append("spend", new Decimal128(new BigDecimal("4.20")))));
      // a move interrupted between its two writes: the progress document exists, the task still has the fields
      db.insert(Collections.TASKS, oldTask(half).append("counts", new Document("sent", 1L)));
      db.insert(Collections.TASK_PROGRESS, new Document("_id", half).append("counts", new Document("sent", 5L)));
    }
    try (TestParley parley = TestParley.start(data, QUIET, Clock.systemUTC())) {
      Fixtures db = new Fixtures(parley);
      Document task = db.find(Collections.TASKS, moved);
      for (String field : TaskProgress.FIELDS) assertFalse(task.containsKey(field), field + " left the task document");
      Document progress = db.find(Collections.TASK_PROGRESS, moved);
      assertEquals(41L, progress.get("cursor", Number.class).longValue());
      assertEquals(2000L, progress.get("audienceSeq", Number.class).longValue());
      assertEquals(7L, progress.get("managerTurn", Number.class).longValue());

      JsonObject shown = parley.http().get("/api/tasks/" + moved, TestParley.ADMIN).json();
      JsonObject counts = shown.getJsonObject("progress");
      assertEquals(1959L, counts.getLong("pending"));
      assertEquals(38L, counts.getLong("sent"));
      assertEquals(2L, counts.getLong("failed"));
      assertEquals(0L, counts.getLong("unknown"), "a state never counted reads zero");
      assertEquals(38L, counts.getLong("dialogues"));
      assertEquals(3L, counts.getLong("succeeded"));
      assertEquals("4.2", counts.getString("spend"), "as the dialogue API writes amounts: exact, no trailing zeros");
      assertEquals(1960L, shown.getLong("remaining"));

      assertNull(db.find(Collections.TASKS, half).get("counts"), "the interrupted move is finished");
      assertEquals(5L, db.find(Collections.TASK_PROGRESS, half).get("counts", Document.class).get("sent", Number.class)
          .longValue(), "the progress document that was already there is kept");

      TaskProgress progressStore = new TaskProgress(parley.parley().app().store());
      assertEquals(0, progressStore.migrate().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS),
          "nothing is left to move");
    }
  }

  @Test
  void aTaskWithNothingMovedYetShowsZeros() {
    try (TestParley parley = TestParley.start(TestParley.tempDir(), QUIET, Clock.systemUTC())) {
      Fixtures db = new Fixtures(parley);
      String id = Ids.newId();
      db.insert(Collections.TASKS, oldTask(id));
      JsonObject shown = parley.http().get("/api/tasks/" + id, TestParley.ADMIN).json();
      assertEquals(0L, shown.getLong("remaining"));
      assertEquals(0L, shown.getJsonObject("progress").getLong("sent"));
      assertEquals("0", shown.getJsonObject("progress").getString("spend"));
      assertNull(db.find(Collections.TASK_PROGRESS, id), "reading creates nothing");
    }
  }

  private static Document oldTask(String id) {
    return new Document("_id", id).append("name", "Spring sale").append("type", "web").append("format", "incoming_outgoing")
        .append("channels", List.of()).append("managers", List.of()).append("managerAssignment", "round_robin")
        .append("ai", "none").append("spendLimitPerDialogue", new Decimal128(BigDecimal.ONE)).append("status", "paused")
        .append("closeOnOutcome", true).append("createdAt", new Date()).append("updatedAt", new Date());
  }
}
