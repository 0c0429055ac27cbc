package io.parley.channel;

import io.vertx.core.Future;

/**
 * One way of reaching contacts: a Telegram bot, a WhatsApp number, the web/API callback. The dispatcher
 * sees only this; everything platform-specific (limits, error codes, signing) stays behind it.
 */
public interface Channel {
  /**
   * Sends one message. The future fails only on a programming error; every platform answer, including
   * network failures, is one of the {@link SendResult}s so the caller can decide what to record.
   */
  Future<SendResult> send(OutgoingMessage message);
}
