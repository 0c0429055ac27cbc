package io.parley;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.channel.ChannelClients;
import io.parley.channel.whatsapp.WhatsAppRuntime;
import io.parley.channel.telegram.TelegramReceiver;
import io.parley.channel.telegram.TelegramRuntime;
import io.parley.config.ParleyConfig;
import io.parley.conversation.ConversationDeps;
import io.parley.conversation.Conversations;
import io.parley.dispatch.ChannelDispatcher;
import io.parley.dispatch.DispatcherSupervisor;
import io.parley.dispatch.VertxScheduler;
import io.parley.followup.FollowUpVerticle;
import io.parley.http.HttpVerticle;
import io.parley.integration.delivery.CallbackEvents;
import io.parley.integration.delivery.DeliveryWorker;
import io.parley.ops.TaskCountsVerticle;
import io.parley.store.Collections;
import io.parley.store.Store;
import io.parley.store.StoreIndexes;
import io.parley.task.TaskProgress;
import io.parley.token.AdminBootstrap;
import io.parley.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Parley: its store, its Vert.x and its verticles, started in order and closed in reverse. */
public final class Parley {
  private static final Logger log = LoggerFactory.getLogger(Parley.class);

  private final App app;
  private final HttpVerticle http;

  private Parley(App app, HttpVerticle http) {
    this.app = app;
    this.http = http;
  }

  /** Opens the store (blocking the calling thread, which must not be an event loop) and deploys Parley. */
  public static Future<Parley> start(ParleyConfig config, Clock clock) {
    Store store = Store.open(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Micrometer warns once at start "This Gauge has been already registered (vertx.eventbus.handlers)":
    // vertx-micrometer-metrics 5.0 registers that gauge again for every event-bus consumer (and
    // vertx.http.server.active.requests for every request; Micrometer logs only the first at WARNING). Each
    // registration finds the counter the first one made (its LongGaugeBuilder keeps one per meter id), so the
    // gauges count correctly; nothing in this set-up causes or can avoid the warning.
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    App app = new App(vertx, config, store, clock, registry, new TokenStore(store, clock));
    WhatsAppRuntime.install(app);
    TelegramRuntime telegram = TelegramRuntime.install(app);
    HttpVerticle http = new HttpVerticle(app);
    Future<Parley> started = Future.<Void>future(p -> vertx.runOnContext(v -> bootstrap(app).onComplete(p)))
        .compose(v -> vertx.deployVerticle(new TaskCountsVerticle(app)))
        .compose(v -> vertx.deployVerticle(new io.parley.dialogue.DialogueWatch(app)))
        .compose(v -> config.conversation().enabled() ? Conversations.deploy(vertx, conversations(app)) : Future.succeededFuture())
        .compose(v -> vertx.deployVerticle(http))
        .compose(v -> vertx.deployVerticle(new CallbackEvents(app)))
        .compose(id -> config.callbacks().enabled() ? vertx.deployVerticle(new DeliveryWorker(app,
            new VertxScheduler(vertx, clock), new java.security.SecureRandom())) : Future.succeededFuture(id))
        .compose(v -> vertx.deployVerticle(new FollowUpVerticle(app)))
        .compose(id -> config.dispatch().enabled() ? vertx.deployVerticle(dispatcher(app)) : Future.succeededFuture(id))
        .compose(id -> config.telegram().receiveUpdates()
            ? vertx.deployVerticle(new TelegramReceiver(app, telegram, http.port())) : Future.succeededFuture(id))
        .map(id -> {
          Parley parley = new Parley(app, http);
          log.info("Parley is listening on {} (store: {})", config.baseUrl(http.port()), store.description());
          return parley;
        });
    return started.recover(err -> vertx.close().eventually(() -> {
      telegram.close();
      store.close();
      return Future.succeededFuture();
    }).transform(ignored -> Future.failedFuture(err)));
  }

  private static DispatcherSupervisor dispatcher(App app) {
    ChannelDispatcher.Deps deps = new ChannelDispatcher.Deps(app.store(), app.clock(),
        new VertxScheduler(app.vertx(), app.clock()), app.registry(), app.config().dispatch());
    return new DispatcherSupervisor(deps, new ChannelClients(app.vertx(), app.clock()));
  }

  private static ConversationDeps conversations(App app) {
    return new ConversationDeps(app.store(), app.clock(), new VertxScheduler(app.vertx(), app.clock()), app.registry(),
        app.config().conversation());
  }

  private static Future<Void> bootstrap(App app) {
    return StoreIndexes.ensure(app.store())
        .compose(v -> new TaskProgress(app.store()).migrate())
        .compose(moved -> {
          if (moved > 0) log.info("Moved the progress of {} tasks into {}", moved, Collections.TASK_PROGRESS);
          return AdminBootstrap.run(app.tokens(), app.config().adminToken());
        });
  }

  public int port() {
    return http.port();
  }

  public App app() {
    return app;
  }

  public String baseUrl() {
    return app.config().baseUrl(port());
  }

  /** Stops taking requests, undeploys everything, then closes the store (flushing the embedded one). */
  public Future<Void> close() {
    return app.vertx().close().eventually(() -> {
      TelegramRuntime.of(app.vertx()).ifPresent(TelegramRuntime::close);
      app.store().close();
      log.info("Parley stopped");
      return Future.succeededFuture();
    });
  }
}
