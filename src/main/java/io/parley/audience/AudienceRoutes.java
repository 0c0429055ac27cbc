package io.parley.audience;

import io.parley.App;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Auth;
import io.parley.http.Responses;
import io.parley.token.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code /api/tasks/:id/audience}: uploads stream straight from the socket into the store (no body
 * handler, so an upload is never buffered whole), and entries are listed page by page.
 */
public final class AudienceRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String PATH = "/api/tasks/:id/audience";

  private final App app;
  private final AudienceImport importer;
  private final AudienceQuery query;

  public AudienceRoutes(App app) {
    this.app = app;
    this.importer = new AudienceImport(app);
    this.query = new AudienceQuery(app);
  }

  public void mount(Api api) {
    Role[] marketer = Api.roles(Role.MARKETER);
    api.router().route(HttpMethod.POST, PATH).handler(Auth.allow(marketer)).handler(this::upload);
    api.route(HttpMethod.GET, PATH, marketer, this::list);
  }

  private void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    try {
      UploadFormat format = UploadFormat.fromContentType(request.getHeader("Content-Type"))
          .orElseThrow(AudienceRoutes::unsupportedType);
      requireDeclaredSizeWithinLimit(request);
      String id = Api.id(ctx, "id", "task");
      AudienceTask.load(app, id).map(AudienceTask::requireAcceptsTargets).onComplete(ar -> {
        if (ar.failed()) {
          refuseUnread(ctx, ar.cause());
        } else {
          AudienceTask task = ar.result();
          importer.importStream(task.id(), task.type(), request, format).onComplete(done -> {
            if (done.succeeded()) Responses.json(ctx, 200, done.result().toJson());
            else failMidStream(ctx, done.cause());
          });
        }
      });
    } catch (ApiError e) {
      if (e.status() == 413) ctx.fail(e);
      else refuseUnread(ctx, e);
    }
  }

  private void requireDeclaredSizeWithinLimit(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length == null) return; // chunked: counted as it streams
    long declared;
    try {
      declared = Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return; // the HTTP codec already refuses a malformed Content-Length
    }
    long max = app.config().audienceMaxUploadBytes();
    if (declared > max) throw tooLarge(max);
  }

  /** Refused before a byte was read: drain the small rest so the connection stays usable. */
  private static void refuseUnread(RoutingContext ctx, Throwable error) {
    ctx.request().handler(ignored -> { });
    ctx.request().resume();
    ctx.fail(error);
  }

  /** Refused part-way: the rest of the body will not be read, so the connection cannot be reused. */
  private static void failMidStream(RoutingContext ctx, Throwable error) {
    // (HTTP/2 has no Connection header: there the stream is reset instead)
    if (!ctx.response().headWritten() && ctx.request().version() != HttpVersion.HTTP_2) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.fail(error);
  }

  private void list(RoutingContext ctx) {
    String id = Api.id(ctx, "id", "task");
    Optional<TargetState> state = state(ctx.queryParams().get("state"));
    int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
    Responses.reply(ctx, 200, AudienceTask.load(app, id)
        .compose(task -> query.page(task.id(), state, after, limit))
        .map(AudienceQuery.Page::toJson));
  }

  private static Optional<TargetState> state(String value) {
    if (value == null || value.isEmpty()) return Optional.empty();
    return Arrays.stream(TargetState.values()).filter(s -> s.wire().equals(value)).findFirst()
        .or(() -> {
          throw ApiError.invalid("state", "state must be one of "
              + String.join(", ", Arrays.stream(TargetState.values()).map(TargetState::wire).toList())
              + " (got \"" + value + "\")");
        });
  }

  private static long number(RoutingContext ctx, String name, long fallback, long min, long max) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) return fallback;
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below, like an out-of-range number
    }
    throw ApiError.invalid(name, name + " must be a whole number between " + min + " and " + max);
  }

  private static ApiError unsupportedType() {
    return new ApiError(415, "unsupported_media_type",
        "send the audience as text/plain (a target per line), text/csv (with a header row) or application/json ({\"lines\": [...]})", null);
  }

  private static ApiError tooLarge(long max) {
    return new ApiError(413, "payload_too_large", "the upload is larger than " + max + " bytes", null);
  }
}
