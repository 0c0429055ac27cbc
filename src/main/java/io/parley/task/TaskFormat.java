package io.parley.task;

/** Whether a task only answers contacts who write first, or also opens dialogues with its audience. */
public enum TaskFormat {
  INCOMING, INCOMING_OUTGOING;

  public boolean outgoing() {
    return this == INCOMING_OUTGOING;
  }

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
