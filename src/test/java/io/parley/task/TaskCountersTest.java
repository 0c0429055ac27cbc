package io.parley.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.audience.TargetState;
import io.parley.store.Collections;
import io.parley.support.Fixtures;
import io.parley.support.TestParley;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class TaskCountersTest {
  @Test
  void movesBetweenStatesAndIgnoresAMoveToTheSameState() throws Exception {
    try (TestParley parley = TestParley.start()) {
      Fixtures db = new Fixtures(parley);
      db.insert(Collections.TASK_PROGRESS, new Document("_id", "t").append("counts", TaskCounters.zero()
          .append("sending", 2L)));
      TaskCounters counters = new TaskCounters(parley.parley().app().store());
      counters.move("t", TargetState.SENDING, TargetState.UNKNOWN, 1)
          .compose(v -> counters.move("t", TargetState.UNKNOWN, TargetState.UNKNOWN, 1))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Document task = db.find(Collections.TASK_PROGRESS, "t");
      assertEquals(1L, TaskCounters.of(task, TargetState.SENDING));
      assertEquals(1L, TaskCounters.of(task, TargetState.UNKNOWN));
    }
  }
}
