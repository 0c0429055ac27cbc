package io.parley.channel;

import io.parley.channel.telegram.TelegramChannel;
import io.parley.channel.telegram.TelegramRuntime;
import io.parley.channel.web.WebChannel;
import io.parley.channel.whatsapp.WhatsAppChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the platform client for a channel document. Platforms without a client yet answer empty, and
 * their channels are simply not dispatched (they stay usable for incoming-only tasks once they have one).
 */
public final class ChannelClients implements Function<Document, Optional<Channel>> {
  private static final Logger log = LoggerFactory.getLogger(ChannelClients.class);

  private final Vertx vertx;
  private final WebClient http;
  private final Clock clock;

  public ChannelClients(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgent("Parley"),
        new PoolOptions().setHttp1MaxSize(64));
  }

  @Override
  public Optional<Channel> apply(Document channel) {
    String type = channel.getString("type");
    try {
      if (Platform.WHATSAPP.wire().equals(type)) return Optional.of(WhatsAppChannel.from(vertx, http, channel, clock));
      if (Platform.TELEGRAM.wire().equals(type)) {
        // Telegram channels share per-bot limits and contacts, kept by the runtime Parley installs at start.
        return TelegramRuntime.of(vertx).map(runtime -> TelegramChannel.from(runtime, channel));
      }
      if (!Platform.WEB.wire().equals(type)) return Optional.empty();
      return Optional.of(WebChannel.from(vertx, http, channel, clock));
    } catch (IllegalArgumentException e) {
      log.warn("Channel {} cannot be dispatched: {}", channel.get("_id"), e.getMessage());
      return Optional.empty();
    }
  }
}
