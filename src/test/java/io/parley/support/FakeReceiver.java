package io.parley.support;

import io.parley.webhook.StandardWebhooks;
import io.parley.webhook.WebhookRejected;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The other side of a web channel, on 127.0.0.1: it verifies every callback's signature as a real
 * receiver would (401 if it does not hold), records what arrived, then answers as the route's scenario says.
 */
public final class FakeReceiver {
  /** One verified callback: its webhook-id, JSON body and the path it was sent to. */
  public record Delivery(String webhookId, JsonObject body, String path) {}

  private final Router router;
  private final StandardWebhooks verifier;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private HttpServer server;

  public FakeReceiver(Vertx vertx, StandardWebhooks verifier) {
    this.router = Router.router(vertx);
    this.verifier = verifier;
    router.route().handler(BodyHandler.create(false)).handler(this::verify);
  }

  public FakeReceiver answer(String path, Handler<RoutingContext> scenario) {
    router.post(path).handler(scenario);
    return this;
  }

  public Future<FakeReceiver> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public List<Delivery> deliveries() {
    return deliveries;
  }

  private void verify(RoutingContext ctx) {
    var headers = ctx.request().headers();
    try {
      verifier.verify(ctx.body().buffer().getBytes(), headers.get("webhook-id"), headers.get("webhook-timestamp"),
          headers.get("webhook-signature"));
    } catch (WebhookRejected e) {
      ctx.response().setStatusCode(401).end(e.getMessage());
      return;
    }
    deliveries.add(new Delivery(headers.get("webhook-id"), ctx.body().asJsonObject(), ctx.request().path()));
    ctx.next();
  }
}
