package io.parley.dialogue;

import io.parley.App;
import io.parley.channel.Channel;
import io.parley.channel.ChannelClients;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.parley.token.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a manager's reply through the dialogue's channel. The message is stored first ({@code sending}) so
 * the history never lacks what may have gone out; a channel that asks to wait gets the same message again
 * later (same id, so receivers can recognise it), up to {@code dialogue.replyAttempts} tries.
 */
final class ReplySender {
  private static final Logger log = LoggerFactory.getLogger(ReplySender.class);

  private final App app;
  private final DialogueEvents events;
  private final DocumentStore messages;
  private final DocumentStore channels;
  private final DialogueActivity activity;
  private final ChannelClients clients;

  ReplySender(App app, DialogueEvents events) {
    this.app = app;
    this.events = events;
    this.messages = new DocumentStore(app.store(), Collections.MESSAGES);
    this.channels = new DocumentStore(app.store(), Collections.CHANNELS);
    this.activity = new DialogueActivity(app.store());
    this.clients = new ChannelClients(app.vertx(), app.clock());
  }

  /** Answers the stored message; a reply the channel holds back by rule is refused (409) and not stored. */
  Future<JsonObject> send(Document dialogue, String text, Principal who, Instant now) {
    return channel(dialogue).compose(channel -> {
      String id = Ids.newId();
      Document message = new Document("_id", id).append("dialogue", dialogue.getString("_id"))
          .append("direction", "out").append("author", "manager").append("operator", who.tokenId())
          .append("text", text).append("status", "sending").append("attempts", 0)
          .append("cost", new Decimal128(0L)).append("createdAt", Date.from(now));
      OutgoingMessage out = new OutgoingMessage(id, dialogue.getString("_id"), dialogue.getString("contact"), text,
          Map.of("kind", "reply"));
      return messages.insert(message)
          .compose(v -> attempt(channel, out, 1))
          .compose(result -> {
            if (result instanceof SendResult.Held held) {
              return messages.delete(id).compose(v -> Future.failedFuture(ApiError.conflict("held",
                  "the channel cannot send this now: " + held.reason(), null)));
            }
            return record(id, result, 1)
                .compose(stored -> activity.managerReplied(dialogue, stored, app.config().conversation().historyMessages())
                    .map(stored))
                .map(stored -> {
                  events.message(dialogue, id, now);
                  if (result instanceof SendResult.RetryLater later) retry(channel, out, 2, later.delay());
                  return DialogueMapper.message(stored);
                });
          });
    });
  }

  private Future<Channel> channel(Document dialogue) {
    String channelId = dialogue.getString("channel");
    return channels.find(channelId).compose(doc -> {
      Optional<Channel> channel = doc == null ? Optional.empty() : clients.apply(doc);
      if (channel.isEmpty()) {
        return Future.failedFuture(ApiError.conflict("channel_unavailable", "channel " + channelId
            + " cannot send messages" + (doc == null ? " (it was deleted)" : " (" + doc.getString("type") + ")"), null));
      }
      return Future.succeededFuture(channel.get());
    });
  }

  private Future<SendResult> attempt(Channel channel, OutgoingMessage out, int number) {
    return channel.send(out).recover(err -> Future.succeededFuture(
        new SendResult.RetryLater(Duration.ofSeconds(30), "internal error: " + err.getMessage())));
  }

  private void retry(Channel channel, OutgoingMessage out, int number, Duration delay) {
    app.vertx().setTimer(Math.max(1, delay.toMillis()), t -> attempt(channel, out, number)
        .compose(result -> record(out.messageId(), result, number))
        .onSuccess(stored -> {
          if ("queued".equals(stored.getString("status"))) {
            retry(channel, out, number + 1, ((SendResult.RetryLater) lastResult(stored)).delay());
          }
        })
        .onFailure(err -> log.error("Reply {} could not be recorded", out.messageId(), err)));
  }

  /** Stores how attempt {@code number} ended: sent, failed, or queued for another try. */
  private Future<Document> record(String id, SendResult result, int number) {
    int max = app.config().dialogues().replyAttempts();
    Document set = new Document("attempts", number);
    if (result instanceof SendResult.Accepted accepted) {
      set.append("status", "sent").append("platformMessageId", accepted.platformMessageId()).append("reason", null);
    } else if (result instanceof SendResult.RetryLater later) {
      boolean last = number >= max;
      set.append("status", last ? "failed" : "queued").append("retryInMillis", later.delay().toMillis())
          .append("reason", last ? "gave up after " + number + " attempts: " + later.reason() : later.reason());
    } else {
      set.append("status", "failed").append("reason", reason(result));
    }
    return messages.update(id, new Document("$set", set));
  }

  private static SendResult lastResult(Document stored) {
    return new SendResult.RetryLater(Duration.ofMillis(stored.get("retryInMillis", 1000L)), stored.getString("reason"));
  }

  private static String reason(SendResult result) {
    if (result instanceof SendResult.Failed f) return f.reason();
    if (result instanceof SendResult.Unreachable u) return "unreachable: " + u.reason();
    if (result instanceof SendResult.AuthFailed a) return "channel credentials refused: " + a.reason();
    if (result instanceof SendResult.Held h) return h.reason();
    return String.valueOf(result);
  }

}
