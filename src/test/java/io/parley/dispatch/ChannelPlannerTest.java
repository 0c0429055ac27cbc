package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.task.WorkingHours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPlannerTest {
  static final Instant MON_0930 = Instant.parse("2026-11-23T09:30:00Z");

  static TaskPlan task(String id, int from, int to, int limit, int pauseSeconds) {
    return new TaskPlan(id, new WorkingHours(from, to), limit, Duration.ofSeconds(pauseSeconds));
  }

  @Test
  void workingHoursWithoutWrap() {
    TaskPlan t = task("a", 6, 15, 10, 3);
    assertEquals(MON_0930, t.nextOpen(MON_0930));
    assertEquals(Instant.parse("2026-11-24T06:00:00Z"), t.nextOpen(Instant.parse("2026-11-23T15:00:00Z")),
        "15:00 is outside [6, 15): the next window opens tomorrow at 6");
    assertEquals(Instant.parse("2026-11-23T06:00:00Z"), t.nextOpen(Instant.parse("2026-11-23T05:59:59Z")));
    assertEquals(Instant.parse("2026-11-23T14:59:59Z"), t.nextOpen(Instant.parse("2026-11-23T14:59:59Z")));
  }

  @Test
  void workingHoursWrapPastMidnight() {
    TaskPlan night = task("n", 22, 6, 10, 3);
    assertEquals(Instant.parse("2026-11-23T23:10:00Z"), night.nextOpen(Instant.parse("2026-11-23T23:10:00Z")));
    assertEquals(Instant.parse("2026-11-24T05:59:00Z"), night.nextOpen(Instant.parse("2026-11-24T05:59:00Z")));
    assertEquals(Instant.parse("2026-11-23T22:00:00Z"), night.nextOpen(Instant.parse("2026-11-23T06:00:00Z")));
    assertEquals(Instant.parse("2026-11-23T22:00:00Z"), night.nextOpen(MON_0930));
    TaskPlan allDay = task("d", 0, 24, 10, 3);
    assertEquals(Instant.parse("2026-11-23T23:59:59Z"), allDay.nextOpen(Instant.parse("2026-11-23T23:59:59Z")));
  }

  @Test
  void pauseSeparatesAttempts() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("a", 0, 24, 100, 5)));
    assertTrue(p.next(MON_0930).task().isPresent());
    p.attempted(MON_0930);
    ChannelPlanner.Decision d = p.next(MON_0930.plusSeconds(2));
    assertFalse(d.task().isPresent());
    assertEquals(MON_0930.plusSeconds(5), d.wakeAt());
    assertTrue(p.next(MON_0930.plusSeconds(5)).task().isPresent());
  }

  @Test
  void limitReachedWaitsForTheNextUtcDay() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("a", 0, 24, 1, 3)));
    Instant late = Instant.parse("2026-11-23T23:59:58Z");
    p.limitReached("a", late);
    ChannelPlanner.Decision d = p.next(late.plusSeconds(1));
    assertEquals(Instant.parse("2026-11-24T00:00:00Z"), d.wakeAt());
    assertTrue(p.next(Instant.parse("2026-11-24T00:00:00Z")).task().isPresent(), "a new UTC day, a new allowance");
  }

  @Test
  void limitAndWorkingHoursCombine() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("a", 6, 15, 1, 3)));
    p.limitReached("a", MON_0930);
    assertEquals(Instant.parse("2026-11-24T06:00:00Z"), p.next(MON_0930.plusSeconds(60)).wakeAt());
  }

  @Test
  void platformBackoffHoldsTheWholeChannel() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("a", 0, 24, 100, 3), task("b", 0, 24, 100, 3)));
    p.blockUntil(MON_0930.plusSeconds(30));
    assertEquals(MON_0930.plusSeconds(30), p.next(MON_0930).wakeAt());
  }

  @Test
  void tasksTakeTurns() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("b", 0, 24, 100, 3), task("a", 0, 24, 100, 3), task("c", 0, 24, 100, 3)));
    List<String> order = new ArrayList<>();
    Instant now = MON_0930;
    for (int i = 0; i < 7; i++) {
      String id = p.next(now).task().orElseThrow().taskId();
      order.add(id);
      p.attempted(now);
      now = now.plusSeconds(3);
    }
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), order);
  }

  @Test
  void aTaskOutsideItsHoursDoesNotBlockTheOthers() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("a", 22, 6, 100, 3), task("b", 9, 18, 100, 3)));
    assertEquals("b", p.next(MON_0930).task().orElseThrow().taskId());
    p.attempted(MON_0930);
    assertEquals("b", p.next(MON_0930.plusSeconds(3)).task().orElseThrow().taskId());
  }

  @Test
  void idleTaskIsLookedAtAgainLater() {
    ChannelPlanner p = new ChannelPlanner();
    p.setTasks(List.of(task("a", 0, 24, 100, 3)));
    p.idle("a", MON_0930.plusSeconds(10));
    assertEquals(MON_0930.plusSeconds(10), p.next(MON_0930).wakeAt());
    p.wake("a");
    assertTrue(p.next(MON_0930).task().isPresent());
  }

  @Test
  void noTasksMeansNoWakeUp() {
    assertEquals(null, new ChannelPlanner().next(MON_0930).wakeAt());
  }
}
