package io.parley.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers, and finishing a request from a future's outcome. */
public final class Responses {
  private Responses() {}

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  public static void json(RoutingContext ctx, int status, JsonArray body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  public static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  /** Answers {@code status} with the future's JSON, or routes its failure to the error handler. */
  public static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) json(ctx, status, ar.result());
      else ctx.fail(ar.cause());
    });
  }

  public static void replyList(RoutingContext ctx, Future<JsonArray> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) json(ctx, 200, new JsonObject().put("items", ar.result()));
      else ctx.fail(ar.cause());
    });
  }

  public static void replyEmpty(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) noContent(ctx);
      else ctx.fail(ar.cause());
    });
  }
}
