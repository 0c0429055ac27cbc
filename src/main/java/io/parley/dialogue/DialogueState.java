package io.parley.dialogue;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a dialogue stands (SPEC §4): the AI answers {@code open} ones, a manager {@code human} ones,
 * nobody answers {@code blocked} ones automatically, and {@code closed} ones carry an outcome.
 */
public enum DialogueState {
  OPEN, HUMAN, BLOCKED, CLOSED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DialogueState> parse(String wire) {
    for (DialogueState s : values()) if (s.wire().equals(wire)) return Optional.of(s);
    return Optional.empty();
  }
}
