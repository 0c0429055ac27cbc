package io.parley.channel.telegram;

import io.parley.App;
import io.parley.config.ParleyConfig;
import io.parley.store.Store;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * What every Telegram channel of one Parley (one {@link Vertx}) shares: the HTTP client, the contact
 * records, and each bot's {@link BotLimits} by channel id, so the dispatcher's openings and the
 * conversation replies, which make their own {@code Channel} objects, draw from the same budget.
 */
public final class TelegramRuntime {
  private static final Map<Vertx, TelegramRuntime> RUNTIMES = Collections.synchronizedMap(new WeakHashMap<>());

  final Vertx vertx;
  final Store store;
  final Clock clock;
  final ParleyConfig.Telegram settings;
  final OkHttpClient sending;
  final OkHttpClient polling;
  final TelegramContacts contacts;
  private final Map<String, BotLimits> limits = new ConcurrentHashMap<>();

  private TelegramRuntime(Vertx vertx, Store store, Clock clock, ParleyConfig.Telegram settings) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    Dispatcher dispatcher = new Dispatcher();
    // Every long poll holds a request open; OkHttp's default of 5 per host would starve sending.
    dispatcher.setMaxRequests(512);
    dispatcher.setMaxRequestsPerHost(256);
    this.sending = new OkHttpClient.Builder().dispatcher(dispatcher)
        .connectTimeout(settings.requestTimeoutSeconds(), TimeUnit.SECONDS)
        .readTimeout(settings.requestTimeoutSeconds(), TimeUnit.SECONDS)
        .callTimeout(settings.requestTimeoutSeconds() * 2L, TimeUnit.SECONDS).build();
    this.polling = sending.newBuilder()
        .readTimeout(settings.pollTimeoutSeconds() + settings.requestTimeoutSeconds(), TimeUnit.SECONDS)
        .callTimeout(settings.pollTimeoutSeconds() + settings.requestTimeoutSeconds() * 2L, TimeUnit.SECONDS).build();
    this.contacts = new TelegramContacts(store);
  }

  /** Creates the runtime of {@code app}'s Vert.x; called once at start-up, before any channel is made. */
  public static TelegramRuntime install(App app) {
    TelegramRuntime runtime = new TelegramRuntime(app.vertx(), app.store(), app.clock(), app.config().telegram());
    RUNTIMES.put(app.vertx(), runtime);
    return runtime;
  }

  public static Optional<TelegramRuntime> of(Vertx vertx) {
    return Optional.ofNullable(RUNTIMES.get(vertx));
  }

  BotLimits limits(String channelId) {
    return limits.computeIfAbsent(channelId, id -> new BotLimits(clock, settings.messagesPerSecond(),
        Duration.ofMillis(settings.perChatIntervalMillis())));
  }

  /** Cancels calls under way (long polls) and lets OkHttp's threads end; at shutdown. */
  public void close() {
    RUNTIMES.remove(vertx);
    sending.dispatcher().cancelAll();
    sending.dispatcher().executorService().shutdown();
    sending.connectionPool().evictAll();
  }
}
