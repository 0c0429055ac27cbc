package io.parley.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.config.ParleyConfig;
import io.parley.dispatch.Scheduler;
import io.parley.store.Store;
import java.time.Clock;

/** What the router and the responders are built from; tests give a hand-driven clock and scheduler. */
public record ConversationDeps(Store store, Clock clock, Scheduler scheduler, MeterRegistry registry,
    ParleyConfig.Conversation settings) {}
