package io.parley.followup;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a follow-up task asks of its manager. Only {@code lead} tasks are created by hand. */
enum ManagerTaskType {
  /** A to-do about a contact, in the manager's own words. */
  LEAD,
  /** A dialogue waits for a human answer (handed over or blocked); lists the unread message ids. */
  DIALOGUE_REPLY,
  /** An outreach dialogue got no reply for the task's {@code followUpAfterDays}; names the opening message. */
  DIALOGUE_FOLLOWUP,
  /** An integration callback was given up on. */
  INTEGRATION_FAILED;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static List<String> wires() {
    return Arrays.stream(values()).map(ManagerTaskType::wire).toList();
  }

  static ManagerTaskType fromWire(String value) {
    for (ManagerTaskType t : values()) {
      if (t.wire().equals(value)) return t;
    }
    return null;
  }
}
