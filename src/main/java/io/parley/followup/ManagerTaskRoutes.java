package io.parley.followup;

import io.parley.App;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Auth;
import io.parley.http.Responses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * {@code /api/manager-tasks}: follow-up tasks for managers (SPEC §5). A manager token sees and changes the
 * tasks of the virtual managers it operates; an admin all of them.
 */
public final class ManagerTaskRoutes {
  private static final String PATH = "/api/manager-tasks";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  private final App app;
  private final TaskListing listing;
  private final LeadTasks leads;
  private final ManagerTaskService service;
  private final DocumentStore managers;

  public ManagerTaskRoutes(App app) {
    this.app = app;
    ManagerTaskStore tasks = new ManagerTaskStore(app.store());
    Assignees assignees = new Assignees(app.store(), tasks);
    ManagerTaskEvents events = new ManagerTaskEvents(app.vertx());
    this.listing = new TaskListing(tasks);
    this.leads = new LeadTasks(app, tasks, assignees, events);
    this.service = new ManagerTaskService(app, tasks, assignees, new OutcomeRunner(app, tasks, assignees, events));
    this.managers = new DocumentStore(app.store(), Collections.MANAGERS);
  }

  public void mount(Api api) {
    Role[] manager = Api.roles(Role.MANAGER);
    api.route(HttpMethod.GET, PATH, manager, this::list);
    api.json(HttpMethod.PUT, PATH, manager, (ctx, body) -> {
      TaskQuery query = TaskQuery.parse(ctx.queryParams(), false);
      Responses.reply(ctx, 200, selection(ctx, query).compose(s -> service.bulk(s.caller, s.selection, body)));
    });
    api.json(HttpMethod.POST, PATH, manager, (ctx, body) -> Responses.reply(ctx, 201,
        withCaller(ctx, (caller, offset) -> leads.create(caller, offset, body))));
    api.route(HttpMethod.GET, PATH + "/:id", manager, ctx -> {
      String id = Api.id(ctx, "id", "follow-up task");
      Responses.reply(ctx, 200, Caller.of(app.store(), Auth.principal(ctx))
          .compose(caller -> service.visible(caller, id)).map(ManagerTaskMapper::toJson));
    });
    api.json(HttpMethod.PUT, PATH + "/:id", manager, (ctx, body) -> {
      String id = Api.id(ctx, "id", "follow-up task");
      Responses.reply(ctx, 200, Caller.of(app.store(), Auth.principal(ctx)).compose(c -> service.update(c, id, body)));
    });
    api.route(HttpMethod.DELETE, PATH + "/:id", manager, ctx -> {
      String id = Api.id(ctx, "id", "follow-up task");
      Responses.replyEmpty(ctx, Caller.of(app.store(), Auth.principal(ctx)).compose(c -> service.delete(c, id)));
    });
  }

  private void list(RoutingContext ctx) {
    TaskQuery query = TaskQuery.parse(ctx.queryParams(), true);
    int limit = limit(ctx.queryParams().get("limit"));
    Cursor after = Cursor.parse(ctx.queryParams().get("after"));
    Responses.reply(ctx, 200, selection(ctx, query).compose(s -> listing.page(s.selection, query.order(), after, limit)));
  }

  private record Scoped(Caller caller, Selection selection) {}

  private Future<Scoped> selection(RoutingContext ctx, TaskQuery query) {
    Long given = givenOffset(ctx);
    return Caller.of(app.store(), Auth.principal(ctx)).compose(caller -> offset(caller, given, query.assignedTo())
        .map(offset -> new Scoped(caller, new Selection(query, caller, offset, app.clock().instant()))));
  }

  private Future<JsonObject> withCaller(RoutingContext ctx, BiFunction<Caller, Long, Future<JsonObject>> action) {
    Long given = givenOffset(ctx);
    return Caller.of(app.store(), Auth.principal(ctx))
        .compose(caller -> offset(caller, given, null).compose(offset -> action.apply(caller, offset)));
  }

  private static Long givenOffset(RoutingContext ctx) {
    return ViewerOffset.given(ctx.request().getHeader(ViewerOffset.HEADER), ctx.queryParams().get(ViewerOffset.PARAM));
  }

  /** The given offset, else the time zone of the filtered manager, else of the caller's first, else UTC. */
  private Future<Long> offset(Caller caller, Long given, String assignedTo) {
    if (given != null) return Future.succeededFuture(given);
    if (assignedTo == null) return Future.succeededFuture(ViewerOffset.ofZone(caller.timezone(), app.clock().instant()));
    return managers.find(assignedTo).map(m -> ViewerOffset.ofZone(m == null ? caller.timezone() : m.getString("timezone"),
        app.clock().instant()));
  }

  private static int limit(String value) {
    if (value == null) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
  }
}
