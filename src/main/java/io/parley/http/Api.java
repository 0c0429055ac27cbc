package io.parley.http;

import io.parley.token.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.BiConsumer;

/**
 * Declares routes below {@code /api} as a chain {@code body → role check → action}. Authentication runs
 * before any of them (mounted once by the server), so no body is read from an unknown caller.
 */
public final class Api {
  private final Router router;
  private final long maxBodyBytes;

  public Api(Router router, long maxBodyBytes) {
    this.router = router;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Router router() {
    return router;
  }

  /** A route without a body (GET, DELETE, or a POST that carries nothing). */
  public Route route(HttpMethod method, String path, Role[] roles, Handler<RoutingContext> action) {
    return router.route(method, path).handler(Auth.allow(roles)).handler(ctx -> {
      ctx.request().resume(); // authentication paused it; a body sent here is not read
      action.handle(ctx);
    });
  }

  /** A route whose body is a JSON object of at most {@code http.maxBodyBytes}, handed to the action. */
  public Route json(HttpMethod method, String path, Role[] roles, BiConsumer<RoutingContext, JsonObject> action) {
    // Vert.x Web orders a route's handlers by kind: the body handler must come before user handlers.
    return router.route(method, path)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(Auth.allow(roles))
        .handler(ctx -> action.accept(ctx, JsonBody.object(ctx)));
  }

  public static Role[] roles(Role... roles) {
    return roles;
  }

  /** The path parameter {@code name}, refused with 404 unless it looks like one of our ids. */
  public static String id(RoutingContext ctx, String name, String what) {
    String id = ctx.pathParam(name);
    if (!io.parley.store.Ids.looksValid(id)) throw ApiError.notFound(what, id);
    return id;
  }
}
