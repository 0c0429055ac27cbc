package io.parley.dispatch;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, for one channel, which running task opens the next dialogue and when: inside the task's
 * working hours, at least the task's pause after the channel's last attempt, not while the platform
 * asked the channel to wait, not on a UTC day the task's limit was reached, taking tasks in turn.
 * Pure and single-threaded: the dispatcher feeds it events and asks it questions with the time.
 */
final class ChannelPlanner {
  /** The next thing to do: open a dialogue for {@code task} now, or wake up at {@code wakeAt}. */
  record Decision(Optional<TaskPlan> task, Instant wakeAt) {
    static Decision open(TaskPlan task, Instant now) {
      return new Decision(Optional.of(task), now);
    }

    static Decision sleepUntil(Instant at) {
      return new Decision(Optional.empty(), at);
    }
  }

  private final List<TaskPlan> tasks = new ArrayList<>();
  private final Map<String, LocalDate> limitReachedOn = new HashMap<>();
  private final Map<String, Instant> idleUntil = new HashMap<>();
  private Instant lastAttempt;
  private Instant blockedUntil = Instant.MIN;
  private String lastServed;

  /** Replaces the running tasks (ordered by id so the turn order is stable across refreshes). */
  void setTasks(List<TaskPlan> running) {
    tasks.clear();
    tasks.addAll(running);
    tasks.sort((a, b) -> a.taskId().compareTo(b.taskId()));
  }

  List<TaskPlan> tasks() {
    return List.copyOf(tasks);
  }

  void attempted(Instant at) {
    lastAttempt = at;
  }

  Instant lastAttempt() {
    return lastAttempt;
  }

  /** The platform asked the whole channel to wait (rate limit, transient failure). */
  void blockUntil(Instant until) {
    if (until.isAfter(blockedUntil)) blockedUntil = until;
  }

  void limitReached(String taskId, Instant now) {
    limitReachedOn.put(taskId, TaskPlan.utcDay(now));
  }

  /** The task had nothing to send; look again after {@code until} (new audience may arrive). */
  void idle(String taskId, Instant until) {
    idleUntil.put(taskId, until);
  }

  void wake(String taskId) {
    idleUntil.remove(taskId);
  }

  /** When {@code task} may open its next dialogue, at or after {@code now}. */
  Instant eligibleAt(TaskPlan task, Instant now) {
    Instant t = retryAt(task, now);
    Instant idle = idleUntil.get(task.taskId());
    if (idle != null && idle.isAfter(t)) t = idle;
    LocalDate full = limitReachedOn.get(task.taskId());
    if (full != null) {
      Instant nextDay = full.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
      if (nextDay.isAfter(t)) t = nextDay;
    }
    return task.nextOpen(t);
  }

  /**
   * When a message already claimed for {@code task} may be sent again: after the pause and any channel-wide
   * wait, within working hours. Unlike a new dialogue it needs no daily slot and no pending target.
   */
  Instant retryAt(TaskPlan task, Instant now) {
    Instant t = now;
    if (lastAttempt != null && lastAttempt.plus(task.pause()).isAfter(t)) t = lastAttempt.plus(task.pause());
    if (blockedUntil.isAfter(t)) t = blockedUntil;
    return task.nextOpen(t);
  }

  /** The task whose turn it is among those eligible now, else when to look again (null: no tasks). */
  Decision next(Instant now) {
    if (tasks.isEmpty()) return Decision.sleepUntil(null);
    int start = 0; // the first task after the last one served, wrapping around
    for (int i = 0; lastServed != null && i < tasks.size(); i++) {
      if (tasks.get(i).taskId().compareTo(lastServed) > 0) {
        start = i;
        break;
      }
    }
    Instant earliest = null;
    for (int k = 0; k < tasks.size(); k++) {
      TaskPlan task = tasks.get((start + k) % tasks.size());
      Instant at = eligibleAt(task, now);
      if (!at.isAfter(now)) {
        lastServed = task.taskId();
        return Decision.open(task, now);
      }
      if (earliest == null || at.isBefore(earliest)) earliest = at;
    }
    return Decision.sleepUntil(earliest);
  }
}
