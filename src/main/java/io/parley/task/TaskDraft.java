package io.parley.task;

import io.parley.channel.Platform;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * An outreach task's settings as the marketer gave them, validated field by field (references to
 * channels, managers, AI and integration are checked separately, against the store).
 * For an {@code incoming} task the outgoing settings are empty. {@code closeOnOutcome}: whether an outcome
 * the AI declares closes the dialogue (the default) or only marks it, leaving it open.
 */
public record TaskDraft(
    String name,
    Platform type,
    TaskFormat format,
    List<String> channels,
    List<String> managers,
    ManagerAssignment managerAssignment,
    String ai,
    Optional<String> integration,
    BigDecimal spendLimitPerDialogue,
    Optional<WorkingHours> workingHours,
    Optional<Integer> dailyLimitPerChannel,
    Optional<Integer> pauseBetweenDialogues,
    Optional<OpeningMessage> openingMessage,
    Optional<String> afterHandoverTimeout,
    FollowUpSettings followUp,
    boolean closeOnOutcome) {

  /** What happens after dialogues and managers' follow-up tasks end: outcome actions, quiet-dialogue reminders. */
  public record FollowUpSettings(OutcomeRules outcomes, Optional<Integer> followUpAfterDays) {}

  /** How new dialogues are spread among the task's virtual managers. */
  public enum ManagerAssignment {
    ROUND_ROBIN, LEAST_LOADED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
