package io.parley.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Writing JSON answers, and finishing a request from a future's outcome. A request that changes something
 * ({@link #saveFirst}) is answered only once the store has saved it: a success the caller saw is not undone
 * by a kill a moment later. Refusals change nothing and are answered at once.
 */
public final class Responses {
  private static final String SAVE = "parley.saveFirst";

  private Responses() {}

  /** Makes this request's successful answer wait for {@code save} (the store's {@code saved()}). */
  public static void saveFirst(RoutingContext ctx, Supplier<Future<Void>> save) {
    ctx.put(SAVE, save);
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    answer(ctx, () -> ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode()));
  }

  public static void json(RoutingContext ctx, int status, JsonArray body) {
    answer(ctx, () -> ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode()));
  }

  public static void noContent(RoutingContext ctx) {
    answer(ctx, () -> ctx.response().setStatusCode(204).end());
  }

  private static void answer(RoutingContext ctx, Runnable write) {
    Supplier<Future<Void>> save = ctx.get(SAVE);
    if (save == null) {
      write.run();
      return;
    }
    save.get().onComplete(ar -> {
      if (ar.succeeded()) write.run();
      else ctx.fail(ar.cause());
    });
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
