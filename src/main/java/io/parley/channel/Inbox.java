package io.parley.channel;

import io.parley.EventAddresses;
import io.parley.store.BatchedWrites;
import io.parley.store.Collections;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.Date;
import org.bson.Document;

/**
 * Where every channel hands the messages it receives. Platforms redeliver webhooks, so each message is
 * stored under its channel and platform id first (many to a store command under load); only the first
 * delivery is published on {@link EventAddresses#INCOMING_MESSAGE}. {@code inbound} holds a message until
 * the conversations have routed it (they then remove it), so it is what a crash left unrouted; a delivery
 * repeated after that is recognised by the stored message, which has the same id.
 */
public final class Inbox {
  private final BatchedWrites inbound;
  private final EventBus eventBus;

  public Inbox(Store store, EventBus eventBus) {
    this.inbound = store.batched(Collections.INBOUND);
    this.eventBus = eventBus;
  }

  /**
   * Stores and publishes {@code message} once. Completes with {@code true} when it was new, {@code false}
   * when the channel delivered it before (nothing published); fails only when the store does. A channel
   * tells the platform it has the message (a webhook's 200, Telegram's next offset) only after {@link
   * Store#saved}, after which the platform never sends it again: webhooks' answers wait for it in the HTTP
   * layer, the Telegram poller before its next poll. Routing starts at once: if the process dies before the
   * save, the platform sends the message again, and a reply may go out twice rather than a message be lost.
   */
  public Future<Boolean> accept(IncomingMessage message) {
    return accept(message, new Document());
  }

  /** As {@link #accept(IncomingMessage)}, keeping the platform's {@code details} with it until it is routed. */
  public Future<Boolean> accept(IncomingMessage message, Document details) {
    Document doc = document(message);
    details.forEach(doc::putIfAbsent);
    return inbound.insert(doc).map(fresh -> {
      if (fresh) eventBus.publish(EventAddresses.INCOMING_MESSAGE, message.toJson());
      return fresh;
    });
  }

  public static String key(String channelId, String platformMessageId) {
    return channelId + ":" + platformMessageId;
  }

  private static Document document(IncomingMessage m) {
    Document doc = new Document("_id", key(m.channelId(), m.platformMessageId()))
        .append("channel", m.channelId())
        .append("from", m.from())
        .append("text", m.text())
        .append("platformId", m.platformMessageId())
        .append("receivedAt", Date.from(m.receivedAt()));
    if (m.kind() != null) doc.append("kind", m.kind());
    return m.movedTo() != null ? doc.append("movedTo", m.movedTo()) : doc;
  }
}
