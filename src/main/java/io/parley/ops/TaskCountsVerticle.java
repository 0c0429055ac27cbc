package io.parley.ops;

import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.Gauge;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code parley_tasks{status}} gauges current: recounts the tasks collection every
 * {@code metrics.refreshSeconds}, so a scrape reads cached numbers and never waits for MongoDB.
 */
public final class TaskCountsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TaskCountsVerticle.class);

  private final App app;
  private final Metrics metrics;
  private final Map<TaskStatus, AtomicLong> counts = new EnumMap<>(TaskStatus.class);
  private final List<Gauge> gauges = new ArrayList<>();
  private boolean counting;

  public TaskCountsVerticle(App app) {
    this.app = app;
    this.metrics = new Metrics(app.registry());
  }

  @Override
  public Future<?> start() {
    for (TaskStatus status : TaskStatus.values()) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      gauges.add(metrics.taskCount(status, count::get));
    }
    recount();
    vertx.setPeriodic(app.config().metricsRefreshSeconds() * 1000L, id -> recount());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    gauges.forEach(metrics::remove);
    return Future.succeededFuture();
  }

  private void recount() {
    if (counting) return; // a slow store must not pile up overlapping recounts
    counting = true;
    List<Future<Void>> all = new ArrayList<>();
    for (TaskStatus status : TaskStatus.values()) {
      all.add(count(status).map(n -> {
        counts.get(status).set(n);
        return null;
      }));
    }
    Future.join(all)
        .onFailure(err -> log.warn("Could not recount tasks by status; the gauges keep their last values: {}",
            err.toString()))
        .onComplete(ar -> counting = false);
  }

  private Future<Long> count(TaskStatus status) {
    try {
      return Rx.first(app.store().collection(Collections.TASKS).countDocuments(Filters.eq("status", status.wire())));
    } catch (RuntimeException e) { // a closed client refuses synchronously
      return Future.failedFuture(e);
    }
  }
}
