package io.parley.conversation;

import io.parley.channel.Channel;
import io.parley.channel.ChannelClients;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.dispatch.Scheduler;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.parley.store.RecentDocuments;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Sends a message into a dialogue through the dialogue's channel and records it: sent with the platform's
 * id, failed with the reason, or held (the dialogue is then blocked with the platform's reason). Waits the
 * channel asks for are honoured with the scheduler, up to {@code maxAttempts} tries, with the same message id.
 * Before trying an AI's reply again its dialogue is read: one that a manager took over, or that closed (an
 * opt-out), meanwhile gets nothing more from the AI, and the reply is kept as {@code dropped}.
 */
final class ReplySender {
  /** What became of one message. */
  record Sent(Document dialogue, String messageId, SendResult result) {}

  /** How the tries ended: the last result, or why an AI's reply was withdrawn before the next try. */
  private record Tried(SendResult result, String withdrawn) {}

  private final Store store;
  private final RecentDocuments channels;
  private final ChannelClients clients;
  private final Dialogues dialogues;
  private final DialogueEvents events;
  private final ConversationMetrics metrics;
  private final Scheduler scheduler;
  private final Clock clock;
  private final int maxAttempts;

  ReplySender(Store store, ChannelClients clients, Dialogues dialogues, DialogueEvents events, ConversationMetrics metrics,
      Scheduler scheduler, Clock clock, int maxAttempts) {
    this.store = store;
    this.channels = new RecentDocuments(new DocumentStore(store, Collections.CHANNELS), AiResponder.SETTINGS_TTL);
    this.clients = clients;
    this.dialogues = dialogues;
    this.events = events;
    this.metrics = metrics;
    this.scheduler = scheduler;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /** Sends {@code text} written by {@code author} ({@code ai} or {@code system}); {@code kind} goes to the channel. */
  Future<Sent> send(Document dialogue, String text, String author, String kind, BigDecimal cost) {
    return send(dialogue, text, author, kind, cost, 0);
  }

  /** Sends a reply that answers the contact's messages up to {@code answers} (recorded in the same write). */
  Future<Sent> send(Document dialogue, String text, String author, String kind, BigDecimal cost, long answers) {
    String messageId = Ids.newId();
    OutgoingMessage out = new OutgoingMessage(messageId, dialogue.getString("_id"), dialogue.getString("contact"), text,
        Map.of("kind", kind));
    return tries(dialogue.getString("channel"), out, "ai".equals(author))
        .compose(tried -> record(dialogue, out, author, cost, tried, answers));
  }

  /** Sends {@code out} through the channel's client, with the tries {@link #attempt} allows. */
  private Future<Tried> tries(String channelId, OutgoingMessage out, boolean automatic) {
    return channels.derived(channelId, clients)
        .map(channel -> channel == null ? Optional.<Channel>empty() : channel)
        .compose(channel -> channel.isEmpty()
            ? Future.succeededFuture(new Tried(new SendResult.Failed("the channel has no client to send with"), null))
            : attempt(channel.get(), out, 1, automatic));
  }

  /**
   * Sends {@code text} from the system to {@code to} on the channel outside any dialogue (an opt-out's
   * confirmation to a contact no running task answers): tried as a dialogue's message is, recorded by the caller.
   */
  Future<Sent> sendOutside(String channelId, String to, String text, String kind) {
    OutgoingMessage out = new OutgoingMessage(Ids.newId(), null, to, text, Map.of("kind", kind));
    return tries(channelId, out, false).map(tried -> {
      if (tried.result() instanceof SendResult.Accepted) {
        metrics.sent(channelId);
        store.saveSoon(); // the contact has it: a kill losing the record would confirm again
      } else {
        metrics.failed(channelId);
      }
      return new Sent(null, out.messageId(), tried.result());
    });
  }

  /** How a message outside any dialogue ended, as its record keeps it: {@code status}, the platform's id or why not. */
  static Document outcome(Sent sent, Instant at) {
    Document d = new Document("messageId", sent.messageId()).append("at", Date.from(at));
    if (sent.result() instanceof SendResult.Accepted accepted) {
      return d.append("status", "sent").append("platformMessageId", accepted.platformMessageId());
    }
    String status = sent.result() instanceof SendResult.Held ? "held" : "failed";
    return d.append("status", status).append("reason", reason(sent.result()));
  }

  private Future<Tried> attempt(Channel channel, OutgoingMessage out, int number, boolean automatic) {
    return channel.send(out)
        .recover(err -> Future.succeededFuture(new SendResult.Failed("internal error: " + err)))
        .compose(result -> {
          if (!(result instanceof SendResult.RetryLater retry) || number >= maxAttempts) {
            return Future.succeededFuture(new Tried(result, null));
          }
          Promise<Tried> later = Promise.promise();
          scheduler.at(clock.instant().plus(retry.delay()), () -> stillWanted(out, automatic).compose(withdrawn ->
                  withdrawn == null ? attempt(channel, out, number + 1, automatic)
                      : Future.succeededFuture(new Tried(result, withdrawn)))
              .onComplete(later));
          return later.future();
        });
  }

  /** Null when {@code out} may still go; otherwise why not: its dialogue is no longer the AI's to answer. */
  private Future<String> stillWanted(OutgoingMessage out, boolean automatic) {
    if (!automatic) return Future.succeededFuture(null);
    return dialogues.find(out.dialogueId()).map(d -> {
      String state = d == null ? "gone" : d.getString("state");
      return Dialogues.automatic(state) ? null
          : "not sent: the dialogue became " + state + " while the reply waited for the channel";
    });
  }

  private Future<Sent> record(Document dialogue, OutgoingMessage out, String author, BigDecimal cost, Tried tried,
      long answers) {
    String channelId = dialogue.getString("channel");
    SendResult result = tried.result();
    Document m = Dialogues.message(out.messageId(), out.dialogueId(), "out", author, out.text(), clock.instant())
        .append("cost", new Decimal128(cost));
    boolean sent = result instanceof SendResult.Accepted;
    if (tried.withdrawn() != null) { // the contact's messages stay unanswered, for the manager
      m.append("status", "dropped").append("reason", tried.withdrawn());
      return dialogues.appendOutgoing(dialogue, m, false, 0).map(d -> {
        events.message(d, out.messageId(), "out");
        return new Sent(d, out.messageId(), result);
      });
    }
    if (result instanceof SendResult.Accepted accepted) {
      metrics.sent(channelId);
      m.append("status", "sent").append("platformMessageId", accepted.platformMessageId());
    } else if (result instanceof SendResult.Held held) {
      m.append("status", "held").append("reason", held.reason());
    } else {
      metrics.failed(channelId);
      m.append("status", "failed").append("reason", reason(result));
    }
    Future<Document> stored = dialogues.appendOutgoing(dialogue, m, sent, answers);
    return stored.compose(d -> {
      if (sent) store.saveSoon(); // the contact has it: a kill losing the record would answer them again
      events.message(d, out.messageId(), "out");
      if (!(result instanceof SendResult.Held held)) return Future.succeededFuture(new Sent(d, out.messageId(), result));
      return dialogues.state(d.getString("_id"), Dialogues.BLOCKED, held.reason(), clock.instant()).map(blocked -> {
        metrics.blocked("channel_held");
        events.state(blocked);
        events.blocked(blocked);
        return new Sent(blocked, out.messageId(), result);
      });
    });
  }

  private static String reason(SendResult result) {
    if (result instanceof SendResult.Failed f) return f.reason();
    if (result instanceof SendResult.Held h) return h.reason();
    if (result instanceof SendResult.Unreachable u) return "unreachable: " + u.reason();
    if (result instanceof SendResult.AuthFailed a) return "channel credentials refused: " + a.reason();
    if (result instanceof SendResult.RetryLater r) return "gave up: " + r.reason();
    return String.valueOf(result);
  }
}
