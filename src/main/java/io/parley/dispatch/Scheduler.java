package io.parley.dispatch;

import java.time.Instant;

/** Runs an action at an instant of the injected clock; tests drive it by hand so time rules run instantly. */
public interface Scheduler {
  /** Cancels what {@link #at} scheduled, if it has not run yet. */
  interface Cancellable {
    void cancel();
  }

  Cancellable at(Instant when, Runnable action);
}
