package io.parley.ops;

import io.parley.App;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The operations endpoints, open without a token: liveness, readiness, Prometheus metrics and the
 * OpenAPI document. They sit outside {@code /api}, so bearer authentication never sees them.
 */
public final class OpsRoutes {
  /** How long readiness waits for MongoDB; short, because probes are frequent and have their own timeouts. */
  static final long READY_TIMEOUT_MILLIS = 2_000;
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENAPI_RESOURCE = "openapi.yaml";

  private final App app;
  private Future<Buffer> openApi;

  public OpsRoutes(App app) {
    this.app = app;
  }

  public void mount(Router router) {
    router.get("/health").handler(OpsRoutes::health);
    router.get("/ready").handler(readiness());
    router.get("/metrics").handler(this::metrics);
    router.get("/openapi.yaml").handler(this::openApi);
  }

  private static void health(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").encode());
  }

  private HealthCheckHandler readiness() {
    MongoReadiness mongo = new MongoReadiness(app.store(), READY_TIMEOUT_MILLIS);
    // The handler's own timeout is a backstop; the procedure answers first, with a reason.
    return HealthCheckHandler.create(app.vertx()).register(MongoReadiness.NAME, 2 * READY_TIMEOUT_MILLIS, mongo::check);
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(app.registry().scrape());
  }

  private void openApi(RoutingContext ctx) {
    if (openApi == null || openApi.failed()) {
      openApi = app.vertx().fileSystem().readFile(OPENAPI_RESOURCE); // resolved from the classpath
    }
    openApi.onComplete(ar -> {
      if (ar.failed()) ctx.fail(ar.cause());
      else ctx.response().putHeader("Content-Type", "application/yaml").end(ar.result());
    });
  }
}
