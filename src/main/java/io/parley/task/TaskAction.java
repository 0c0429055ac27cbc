package io.parley.task;

import java.util.EnumSet;
import java.util.Set;

/** The marketer's lifecycle actions: from which statuses each is allowed, and where it leads. */
enum TaskAction {
  START(EnumSet.of(TaskStatus.AWAITING, TaskStatus.PAUSED), TaskStatus.IN_PROGRESS),
  PAUSE(EnumSet.of(TaskStatus.IN_PROGRESS), TaskStatus.PAUSED),
  RESUME(EnumSet.of(TaskStatus.PAUSED), TaskStatus.IN_PROGRESS),
  STOP(EnumSet.of(TaskStatus.AWAITING, TaskStatus.IN_PROGRESS, TaskStatus.PAUSED), TaskStatus.STOPPED);

  private final Set<TaskStatus> from;
  private final TaskStatus to;

  TaskAction(Set<TaskStatus> from, TaskStatus to) {
    this.from = from;
    this.to = to;
  }

  Set<TaskStatus> from() {
    return from;
  }

  TaskStatus to() {
    return to;
  }

  String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
