package io.parley.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.config.ParleyConfig;
import io.parley.dispatch.Scheduler;
import io.parley.store.Ids;
import io.parley.store.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * What the router and the responders are built from; tests give a hand-driven clock and scheduler. {@code
 * copies}: the dialogues they last wrote, shared by all of them in one process ({@link DialogueCache}). {@code
 * run}: this process's id among those answering dialogues, which its claims on bursts carry ({@link
 * ResponderRuns}); new at each start.
 */
public record ConversationDeps(Store store, Clock clock, Scheduler scheduler, MeterRegistry registry,
    ParleyConfig.Conversation settings, DialogueCache copies, String run) {
  /** How long a copy of a dialogue serves before it is read from the store again, and how many are kept. */
  private static final Duration COPY_AGE = Duration.ofMinutes(1);
  private static final int COPIES = 5_000;

  public ConversationDeps(Store store, Clock clock, Scheduler scheduler, MeterRegistry registry,
      ParleyConfig.Conversation settings) {
    this(store, clock, scheduler, registry, settings, new DialogueCache(clock, COPY_AGE, COPIES, registry), Ids.newId());
  }
}
