package io.parley.http;

import io.parley.App;
import io.parley.ai.AiProfileRoutes;
import io.parley.audience.AudienceImport;
import io.parley.audience.AudienceRoutes;
import io.parley.channel.ChannelRoutes;
import io.parley.channel.telegram.TelegramWebhookRoutes;
import io.parley.channel.web.WebWebhookRoutes;
import io.parley.channel.whatsapp.WhatsAppWebhookRoutes;
import io.parley.integration.IntegrationRoutes;
import io.parley.integration.delivery.DeliveryRoutes;
import io.parley.dispatch.RequeueRoutes;
import io.parley.followup.ManagerTaskRoutes;
import io.parley.manager.ManagerRoutes;
import io.parley.ops.OpsRoutes;
import io.parley.task.TaskRoutes;
import io.parley.task.TaskStatsRoutes;
import io.parley.token.TokenRoutes;
import io.parley.web.WebPages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;

/** The HTTP API: operations endpoints, then {@code /api/*} behind bearer tokens, then one error shape. */
public final class HttpVerticle extends VerticleBase {
  private final App app;
  private HttpServer server;

  public HttpVerticle(App app) {
    this.app = app;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // What a request changed (a platform's messages, an API call's change) outlives a kill once answered.
    for (String changes : List.of("/webhooks/*", "/api/*")) {
      router.route(changes).handler(ctx -> {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) Responses.saveFirst(ctx, app.store()::saved);
        ctx.next();
      });
    }
    new WebWebhookRoutes(app).mount(router);
    new WhatsAppWebhookRoutes(app).mount(router);
    new TelegramWebhookRoutes(app).mount(router);
    new OpsRoutes(app).mount(router);
    router.route("/api/*").handler(Auth.authenticate(app.tokens()));
    Api api = new Api(router, app.config().maxBodyBytes());
    new TokenRoutes(app.tokens()).mount(api);
    new TaskRoutes(app, new AudienceImport(app)).mount(api);
    new RequeueRoutes(app).mount(api);
    new ChannelRoutes(app).mount(api);
    new AiProfileRoutes(app).mount(api);
    new ManagerRoutes(app).mount(api);
    new IntegrationRoutes(app).mount(api);
    new DeliveryRoutes(app).mount(api);
    new AudienceRoutes(app).mount(api);
    new io.parley.dialogue.DialogueRoutes(app).mount(api);
    new ManagerTaskRoutes(app).mount(api);
    new TaskStatsRoutes(app).mount(api);
    WebPages.mount(router);
    router.route().failureHandler(ErrorHandler::handle);
    router.errorHandler(404, ErrorHandler::handle);
    router.errorHandler(405, ErrorHandler::handle);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(app.config().httpHost())
        .setPort(app.config().httpPort())
        .setCompressionSupported(true);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }
}
