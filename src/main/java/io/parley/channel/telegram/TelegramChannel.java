package io.parley.channel.telegram;

import io.parley.channel.Channel;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.PlatformClosures;
import io.parley.channel.SendResult;
import io.vertx.core.Future;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Telegram bot as a {@link Channel}: the target ({@code @username}, phone or chat id) is resolved
 * against the people who wrote to the bot, the text goes out in parts of at most 4,096 characters within
 * the bot's shared {@link BotLimits}, and the Bot API's answer becomes a {@link SendResult}.
 */
public final class TelegramChannel implements Channel {
  static final String NOT_STARTED = "has not started the bot";
  private static final Logger log = LoggerFactory.getLogger(TelegramChannel.class);

  private final String channelId;
  private final BotApi api;
  private final TelegramRuntime runtime;
  private final BotLimits limits;

  TelegramChannel(String channelId, BotApi api, TelegramRuntime runtime) {
    this.channelId = channelId;
    this.api = api;
    this.runtime = runtime;
    this.limits = runtime.limits(channelId);
  }

  /**
   * The channel of a {@code channels} document of type telegram.
   *
   * @throws IllegalArgumentException when it has no token or an unusable {@code apiUrl}
   */
  public static TelegramChannel from(TelegramRuntime runtime, Document channel) {
    String id = String.valueOf(channel.get("_id"));
    return new TelegramChannel(id, BotApi.of(runtime.vertx, runtime.sending, channel), runtime);
  }

  @Override
  public Future<SendResult> send(OutgoingMessage message) {
    return runtime.contacts.resolve(channelId, message.to()).compose(chatId -> {
      if (chatId == null) return Future.succeededFuture(new SendResult.Unreachable(NOT_STARTED));
      List<String> parts = TextSplitter.split(message.text());
      return sendFrom(message, chatId, parts).compose(result -> {
        if (result instanceof SendResult.Accepted) {
          limits.forget(message.messageId());
          return runtime.contacts.openedAs(channelId, chatId, message.to()).map(result);
        }
        if (result instanceof SendResult.Failed failed && failed.reason().equals(TelegramAnswers.BLOCKED)
            && message.dialogueId() != null) {
          return closeDialogue(message.dialogueId()).map(result);
        }
        return Future.succeededFuture(result);
      });
    });
  }

  /** Sends the parts not yet delivered (a retry of a long message resumes where the last try stopped). */
  private Future<SendResult> sendFrom(OutgoingMessage message, String chatId, List<String> parts) {
    List<String> done = limits.delivered(message.messageId());
    if (done.size() >= parts.size()) return Future.succeededFuture(new SendResult.Accepted(String.join(",", done)));
    var wait = limits.admit(chatId, !done.isEmpty());
    if (wait.isPresent()) return Future.succeededFuture(wait.get());
    return api.sendMessage(chatId, parts.get(done.size())).transform(ar -> {
      if (ar.failed()) return Future.succeededFuture(TelegramAnswers.classify(ar.cause(), limits));
      limits.succeeded();
      limits.partDelivered(message.messageId(), chatId + ":" + ar.result().getMessageId());
      return sendFrom(message, chatId, parts);
    });
  }

  /** The person blocked the bot: their dialogue, if one was opened, is closed ({@link PlatformClosures}). */
  private Future<Void> closeDialogue(String dialogueId) {
    return PlatformClosures.close(runtime.store, runtime.vertx.eventBus(), dialogueId, TelegramAnswers.BLOCKED,
            runtime.clock.instant()).<Void>mapEmpty()
        .recover(err -> {
          log.warn("Telegram channel {}: could not close dialogue {} of a person who blocked the bot", channelId, dialogueId, err);
          return Future.succeededFuture();
        });
  }
}
