package io.parley.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every failure as the one JSON error shape; internal failures are logged once and answered 500. */
public final class ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ApiError error = toApiError(ctx);
    if (error.status() >= 500) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx, error);
  }

  public static void send(RoutingContext ctx, ApiError error) {
    if (error.status() == 413) {
      // The rest of an oversize body is never read: close the connection rather than leave the client
      // blocked writing it.
      ctx.response().putHeader("Connection", "close");
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().encode());
  }

  static ApiError toApiError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError api) return api;
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> new ApiError(400, "bad_request", "the request is malformed", null);
      case 401 -> new ApiError(401, "unauthorized", "a valid bearer token is required", null);
      case 403 -> new ApiError(403, "forbidden", "this token's role may not do that", null);
      case 404 -> new ApiError(404, "not_found", "no such resource: " + ctx.request().path(), null);
      case 405 -> new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path(), null);
      case 413 -> new ApiError(413, "payload_too_large", "the request body is larger than allowed", null);
      case 415 -> new ApiError(415, "unsupported_media_type", "unsupported Content-Type", null);
      default -> status >= 400 && status < 500
          ? new ApiError(status, "bad_request", "the request was refused", null)
          : new ApiError(500, "internal_error", "something went wrong on our side; it has been logged", null);
    };
  }

  public static JsonObject body(ApiError error) {
    return error.toJson();
  }
}
