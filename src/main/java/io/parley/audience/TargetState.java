package io.parley.audience;

/**
 * Where one audience entry stands. Every entry ends in one of these, never silently dropped; the task's
 * progress keeps a counter per state ({@code counts.<state>}) so it is read without scanning entries.
 */
public enum TargetState {
  PENDING, SENDING, SENT, FAILED, SKIPPED, UNKNOWN;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static TargetState fromWire(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
