package io.parley.task;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import io.parley.App;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Responses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Rx;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * {@code GET /api/tasks/{id}/stats}: the task's dialogues of the last hours, opened per UTC hour with their
 * states and outcomes, for the task page's chart. The store counts them (one aggregation over the task's
 * dialogues created inside the window), so the answer's size is bounded by the window, not the task.
 */
public final class TaskStatsRoutes {
  static final int DEFAULT_HOURS = 24;
  static final int MAX_HOURS = 14 * 24;
  private static final long HOUR_MILLIS = 3_600_000L;

  private final App app;
  private final TaskStore tasks;
  private final DocumentStore dialogues;

  public TaskStatsRoutes(App app) {
    this.app = app;
    this.tasks = new TaskStore(app.store());
    this.dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
  }

  public void mount(Api api) {
    api.route(HttpMethod.GET, "/api/tasks/:id/stats", Api.roles(Role.MARKETER), this::stats);
  }

  private void stats(RoutingContext ctx) {
    String id = Api.id(ctx, "id", "task");
    int hours = hours(ctx.queryParams().get("hours"));
    Instant to = app.clock().instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    Instant from = to.minus(hours, ChronoUnit.HOURS);
    Responses.reply(ctx, 200, tasks.find(id)
        .compose(task -> task != null ? inWindow(id, from) : Future.failedFuture(ApiError.notFound("task", id)))
        .map(docs -> HourlyDialogues.of(from, hours, docs).toJson()));
  }

  /**
   * The task's dialogues opened since {@code from}, counted by the store per hour (0 is the hour starting at
   * {@code from}), state and outcome: a few hundred groups come back, however many dialogues there are.
   */
  private Future<List<Document>> inWindow(String taskId, Instant from) {
    Document hour = new Document("$floor", new Document("$divide",
        List.of(new Document("$subtract", List.of("$createdAt", Date.from(from))), HOUR_MILLIS)));
    return Rx.list(dialogues.collection().aggregate(List.of(
        Aggregates.match(Filters.and(Filters.eq("task", taskId), Filters.gte("createdAt", Date.from(from)))),
        Aggregates.group(new Document("hour", hour).append("state", "$state").append("outcome", "$outcome"),
            Accumulators.sum("n", 1)))));
  }

  private static int hours(String value) {
    if (value == null || value.isEmpty()) return DEFAULT_HOURS;
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_HOURS) return n;
    } catch (NumberFormatException e) {
      // answered below, like an out-of-range number
    }
    throw ApiError.invalid("hours", "hours must be a whole number between 1 and " + MAX_HOURS);
  }
}
