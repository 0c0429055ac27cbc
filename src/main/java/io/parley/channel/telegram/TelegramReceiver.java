package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import io.parley.App;
import io.parley.channel.ChannelSecrets;
import io.parley.channel.ChannelState;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every active Telegram channel receiving: one {@link UpdatePoller} per polling channel (never two
 * for the same bot in this process), and {@code setWebhook} with the channel's secret for webhook
 * channels. Re-reads the channels every {@code telegram.refreshSeconds}, so a created, edited or deleted
 * channel is picked up without a restart.
 */
public final class TelegramReceiver extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TelegramReceiver.class);

  private record Poller(String fingerprint, String botId, String deployment) {}

  private final App app;
  private final int httpPort;
  private final TelegramRuntime runtime;
  private final Map<String, Poller> pollers = new HashMap<>();
  private final Map<String, String> webhooks = new HashMap<>();
  /** Channels that cannot be polled as they are (no token, a twin bot), so each is reported once per change. */
  private final Map<String, String> unpollable = new HashMap<>();
  private UpdateHandler handler;
  private boolean scanning;

  public TelegramReceiver(App app, TelegramRuntime runtime, int httpPort) {
    this.app = app;
    this.runtime = runtime;
    this.httpPort = httpPort;
  }

  @Override
  public Future<?> start() {
    handler = new UpdateHandler(app, runtime.contacts);
    vertx.setPeriodic(runtime.settings.refreshSeconds() * 1000L, id -> scan());
    scan();
    return Future.succeededFuture();
  }

  private void scan() {
    if (scanning) return;
    scanning = true;
    Rx.list(app.store().collection(Collections.CHANNELS).find(Filters.eq("type", "telegram")))
        .compose(this::reconcile)
        .onFailure(err -> log.warn("Telegram channels could not be read; trying again shortly", err))
        .onComplete(ar -> scanning = false);
  }

  private Future<Void> reconcile(List<Document> channels) {
    Set<String> seen = new HashSet<>();
    Future<Void> done = Future.succeededFuture();
    for (Document channel : channels) {
      String id = channel.getString("_id");
      boolean active = ChannelState.ACTIVE.wire().equals(channel.getString("state"));
      if (!active) continue;
      seen.add(id);
      Document settings = channel.get("settings", Document.class);
      String mode = settings == null ? "polling" : settings.getString("mode");
      done = done.compose(v -> "webhook".equals(mode) ? webhook(channel) : polling(channel));
    }
    for (String id : new HashSet<>(pollers.keySet())) {
      if (!seen.contains(id)) done = done.compose(v -> stopPolling(id));
    }
    webhooks.keySet().retainAll(seen);
    unpollable.keySet().retainAll(seen);
    return done;
  }

  private Future<Void> polling(Document channel) {
    String id = channel.getString("_id");
    webhooks.remove(id);
    String print = fingerprint(channel);
    Poller current = pollers.get(id);
    if (current != null && current.fingerprint().equals(print)) return Future.succeededFuture();
    if (print.equals(unpollable.get(id))) return Future.succeededFuture();
    return stopPolling(id).compose(v -> {
      String botId = botId(channel);
      boolean twin = pollers.values().stream().anyMatch(p -> p.botId().equals(botId));
      if (twin) {
        unpollable.put(id, print);
        log.warn("Telegram channel {} uses a bot another channel already polls; not polling it twice", id);
        return Future.succeededFuture();
      }
      BotApi api;
      try {
        api = BotApi.of(vertx, runtime.polling, channel);
      } catch (IllegalArgumentException e) {
        unpollable.put(id, print);
        log.warn("Telegram channel {} cannot poll: {}", id, e.getMessage());
        return Future.succeededFuture();
      }
      unpollable.remove(id);
      UpdatePoller poller = new UpdatePoller(id, api, handler, app.store(), app.clock(), runtime.settings.pollTimeoutSeconds());
      return vertx.deployVerticle(poller).map(deployment -> {
        pollers.put(id, new Poller(print, botId, deployment));
        return null;
      });
    });
  }

  private Future<Void> stopPolling(String id) {
    Poller p = pollers.remove(id);
    if (p == null) return Future.succeededFuture();
    unpollable.clear(); // a channel left out as a twin of this one may be polled now
    return vertx.undeploy(p.deployment());
  }

  /** Registers the webhook once per change of token, secret or address; a failure is tried at the next scan. */
  private Future<Void> webhook(Document channel) {
    String id = channel.getString("_id");
    String print = fingerprint(channel);
    if (print.equals(webhooks.get(id))) return Future.succeededFuture();
    String secret = ChannelSecrets.get(channel, "webhookSecret");
    String url = app.config().baseUrl(httpPort) + "/webhooks/telegram/" + id;
    return stopPolling(id).compose(v -> {
      try {
        return BotApi.of(vertx, runtime.sending, channel).setWebhook(url, secret);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }).transform(ar -> {
      if (ar.succeeded()) {
        webhooks.put(id, print);
        log.info("Telegram channel {}: webhook set to {}", id, url);
      } else {
        log.warn("Telegram channel {}: setWebhook failed ({}); trying again shortly", id, BotApi.unwrap(ar.cause()).getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private static String fingerprint(Document channel) {
    Document settings = channel.get("settings", Document.class);
    return Objects.hash(ChannelSecrets.get(channel, "botToken"), ChannelSecrets.get(channel, "webhookSecret"),
        settings == null ? null : settings.getString("apiUrl"), settings == null ? null : settings.getString("mode")) + "";
  }

  /** The bot's own id: the part of its token before the colon. */
  private static String botId(Document channel) {
    String token = ChannelSecrets.get(channel, "botToken");
    return token == null ? "" : token.substring(0, Math.max(0, token.indexOf(':')));
  }
}
