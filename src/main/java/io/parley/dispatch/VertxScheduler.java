package io.parley.dispatch;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The production {@link Scheduler}: a Vert.x timer on the caller's context for the time left on the clock. */
public final class VertxScheduler implements Scheduler {
  private final Vertx vertx;
  private final Clock clock;

  public VertxScheduler(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  @Override
  public Cancellable at(Instant when, Runnable action) {
    long delay = Math.max(1, Duration.between(clock.instant(), when).toMillis());
    long id = vertx.setTimer(delay, t -> action.run());
    return () -> vertx.cancelTimer(id);
  }
}
