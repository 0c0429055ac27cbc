package io.parley.task;

import io.parley.App;
import io.parley.audience.AudienceImport;
import io.parley.channel.Platform;
import io.parley.http.Api;
import io.parley.http.Fields;
import io.parley.http.Responses;
import io.parley.token.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/tasks}: the marketer's outreach tasks (SPEC §1, §7). */
public final class TaskRoutes {
  private final TaskService service;

  public TaskRoutes(App app, AudienceImport audience) {
    this.service = new TaskService(app, new TaskStore(app.store()), audience);
  }

  public void mount(Api api) {
    Role[] marketer = Api.roles(Role.MARKETER);
    api.json(HttpMethod.POST, "/api/tasks", marketer, (ctx, body) -> Responses.reply(ctx, 201, service.create(body)));
    api.route(HttpMethod.GET, "/api/tasks", marketer, this::list);
    api.route(HttpMethod.GET, "/api/tasks/:id", marketer, ctx -> Responses.reply(ctx, 200, service.get(id(ctx))));
    api.json(HttpMethod.PATCH, "/api/tasks/:id", marketer,
        (ctx, body) -> Responses.reply(ctx, 200, service.edit(id(ctx), body)));
    api.route(HttpMethod.DELETE, "/api/tasks/:id", marketer, ctx -> Responses.replyEmpty(ctx, service.delete(id(ctx))));
    for (TaskAction action : TaskAction.values()) {
      api.route(HttpMethod.POST, "/api/tasks/:id/" + action.wire(), marketer,
          ctx -> Responses.reply(ctx, 200, service.apply(id(ctx), action)));
    }
  }

  private void list(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    ctx.queryParams().forEach(e -> query.put(e.getKey(), e.getValue()));
    Fields f = Fields.of(query, "status", "type");
    TaskStatus status = f.optionalEnum("status", TaskStatus.class).orElse(null);
    String type = f.optionalEnum("type", Platform.class).map(Platform::wire).orElse(null);
    Responses.replyList(ctx, service.rows(status, type).map(JsonArray::new));
  }

  private static String id(RoutingContext ctx) {
    return Api.id(ctx, "id", "task");
  }
}
