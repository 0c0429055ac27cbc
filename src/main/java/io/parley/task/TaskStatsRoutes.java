package io.parley.task;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
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
 * states and outcomes, for the task page's chart. Reads only dialogues created inside the window, so the
 * work is bounded by what the task's channels can open in that time.
 */
public final class TaskStatsRoutes {
  static final int DEFAULT_HOURS = 24;
  static final int MAX_HOURS = 14 * 24;

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

  private Future<List<Document>> inWindow(String taskId, Instant from) {
    return Rx.list(dialogues.collection()
        .find(Filters.and(Filters.eq("task", taskId), Filters.gte("createdAt", Date.from(from))))
        .projection(Projections.include("createdAt", "state", "outcome")));
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
