package io.parley;

/** Every event-bus address Parley uses, declared once. */
public final class EventAddresses {
  /** Published after a task's status changed: {@code {id, status}}. */
  public static final String TASK_STATUS = "parley.task.status";

  private EventAddresses() {}
}
