package io.parley.channel.whatsapp;

import io.parley.App;
import io.parley.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every WhatsApp client of one Vert.x instance shares: the store, the clock and each number's
 * {@link NumberPace}. Kept in the Vert.x instance's local shared data, so the channel clients that
 * {@code ChannelClients} makes afresh for each dispatcher all pace one number together.
 */
public final class WhatsAppRuntime implements Shareable {
  private static final String MAP = "parley.whatsapp";
  private static final String KEY = "runtime";

  private final Store store;
  private final Clock clock;
  private final int messagesPerSecond;
  private final ConcurrentHashMap<String, NumberPace> paces = new ConcurrentHashMap<>();

  private WhatsAppRuntime(Store store, Clock clock, int messagesPerSecond) {
    this.store = store;
    this.clock = clock;
    this.messagesPerSecond = messagesPerSecond;
  }

  /** Registers the runtime on {@code app}'s Vert.x; done once at start, before any channel is made. */
  public static void install(App app) {
    local(app.vertx()).put(KEY, new WhatsAppRuntime(app.store(), app.clock(), app.config().whatsapp().messagesPerSecond()));
  }

  /** @throws IllegalArgumentException when {@link #install} was not called on this Vert.x */
  static WhatsAppRuntime of(Vertx vertx) {
    WhatsAppRuntime runtime = vertx == null ? null : local(vertx).get(KEY);
    if (runtime == null) throw new IllegalArgumentException("WhatsApp is not set up on this Vert.x instance");
    return runtime;
  }

  private static LocalMap<String, WhatsAppRuntime> local(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  Store store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  NumberPace pace(String channelId) {
    return paces.computeIfAbsent(channelId, id -> new NumberPace(messagesPerSecond));
  }
}
