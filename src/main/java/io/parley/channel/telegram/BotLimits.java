package io.parley.channel.telegram;

import io.parley.channel.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One bot's sending budget, shared by everything in the process that sends through it (the dispatcher's
 * openings and the conversation replies): at most {@code perSecond} messages a second overall, one message
 * per chat per {@code perChat}, nothing at all while Telegram's 429 wait runs, and a growing backoff while
 * the Bot API fails. Decisions are answered as {@link SendResult.RetryLater} so nobody ever sleeps.
 */
final class BotLimits {
  private static final int REMEMBERED_CHATS = 10_000;
  private static final long MAX_BACKOFF_SECONDS = 60;

  private final Clock clock;
  private final int perSecond;
  private final Duration perChat;
  private final ArrayDeque<Instant> lastSecond = new ArrayDeque<>();
  private final Map<String, Instant> lastToChat = lru(REMEMBERED_CHATS);
  /** Parts of long messages already delivered, by message id, so a retry sends only the rest. */
  private final Map<String, java.util.List<String>> delivered = lru(1_000);
  private Instant pausedUntil = Instant.MIN;
  private int failuresInARow;

  BotLimits(Clock clock, int perSecond, Duration perChat) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.perChat = perChat;
  }

  /**
   * Takes a slot for one message to {@code chatId}, or says how long to wait. A later part of a message
   * already under way skips the per-chat spacing: it belongs to the message that took the slot.
   */
  synchronized Optional<SendResult.RetryLater> admit(String chatId, boolean continuation) {
    Instant now = clock.instant();
    if (now.isBefore(pausedUntil)) {
      return Optional.of(new SendResult.RetryLater(Duration.between(now, pausedUntil), "Telegram asked the bot to wait"));
    }
    Instant last = lastToChat.get(chatId);
    if (!continuation && last != null && now.isBefore(last.plus(perChat))) {
      return Optional.of(new SendResult.RetryLater(Duration.between(now, last.plus(perChat)),
          "at most one message per chat every " + perChat.toMillis() + " ms", true));
    }
    while (!lastSecond.isEmpty() && !lastSecond.peekFirst().isAfter(now.minusSeconds(1))) lastSecond.pollFirst();
    if (lastSecond.size() >= perSecond) {
      Instant free = lastSecond.peekFirst().plusSeconds(1);
      return Optional.of(new SendResult.RetryLater(Duration.between(now, free), "at most " + perSecond + " messages a second per bot"));
    }
    lastSecond.addLast(now);
    lastToChat.put(chatId, now);
    return Optional.empty();
  }

  /** Telegram's 429: the whole bot waits {@code retryAfter}. */
  synchronized void pause(Duration retryAfter) {
    Instant until = clock.instant().plus(retryAfter);
    if (until.isAfter(pausedUntil)) pausedUntil = until;
  }

  /** The Bot API failed (5xx, timeout): the delay before the next try, doubling up to a minute. */
  synchronized Duration backoff() {
    long seconds = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(failuresInARow, 6));
    failuresInARow++;
    return Duration.ofSeconds(seconds);
  }

  synchronized void succeeded() {
    failuresInARow = 0;
  }

  synchronized java.util.List<String> delivered(String messageId) {
    return delivered.getOrDefault(messageId, java.util.List.of());
  }

  synchronized void partDelivered(String messageId, String platformId) {
    java.util.List<String> parts = new java.util.ArrayList<>(delivered.getOrDefault(messageId, java.util.List.of()));
    parts.add(platformId);
    delivered.put(messageId, parts);
  }

  synchronized void forget(String messageId) {
    delivered.remove(messageId);
  }

  private static <V> Map<String, V> lru(int size) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > size;
      }
    };
  }
}
