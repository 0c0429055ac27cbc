package io.parley.task;

import java.util.List;

/** An outreach task's lifecycle and the marketer's actions each status allows. */
public enum TaskStatus {
  AWAITING(List.of("start", "stop")),
  IN_PROGRESS(List.of("pause", "stop")),
  PAUSED(List.of("start", "stop")),
  STOPPED(List.of("delete")),
  COMPLETED(List.of("delete"));

  private final List<String> actions;

  TaskStatus(List<String> actions) {
    this.actions = actions;
  }

  public List<String> actions() {
    return actions;
  }

  public boolean finished() {
    return this == STOPPED || this == COMPLETED;
  }

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static TaskStatus fromWire(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
