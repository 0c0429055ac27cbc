package io.parley.channel.whatsapp;

import io.parley.channel.Channel;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WhatsApp Business number on the Cloud API ({@code POST {apiUrl}/{apiVersion}/{phoneNumberId}/messages}).
 * A message whose {@code extra} names a {@code template} (a dialogue's opening) goes out as that template;
 * any other is free text, sent only inside the contact's 24-hour customer-service window and otherwise
 * {@link SendResult.Held}. Every send respects the number's messages per second and, for templates to new
 * contacts, its messaging tier.
 */
public final class WhatsAppChannel implements Channel {
  private static final Logger log = LoggerFactory.getLogger(WhatsAppChannel.class);
  static final String WINDOW_CLOSED = "24-hour window closed: only a template can be sent";

  /** How long to wait for the Graph API to connect and to answer. */
  public record Options(Duration connectTimeout, Duration responseTimeout) {
    public static final Options DEFAULT = new Options(Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  private final WebClient client;
  private final NumberSettings number;
  private final Clock clock;
  private final Options options;
  private final NumberPace pace;
  private final GraphAnswer answers;
  private final Contacts contacts;
  private final TierLimit tier;
  private final SentMessages sent;

  private WhatsAppChannel(WebClient client, NumberSettings number, Clock clock, Options options, WhatsAppRuntime runtime) {
    this.client = client;
    this.number = number;
    this.clock = clock;
    this.options = options;
    this.pace = runtime.pace(number.channelId());
    this.answers = new GraphAnswer(pace);
    this.contacts = new Contacts(runtime.store());
    this.tier = new TierLimit(runtime.store());
    this.sent = new SentMessages(runtime.store());
  }

  public static WhatsAppChannel from(Vertx vertx, WebClient client, Document channelDoc, Clock clock) {
    return from(vertx, client, channelDoc, clock, Options.DEFAULT);
  }

  /**
   * The client for a {@code channels} document of type {@code whatsapp}.
   *
   * @throws IllegalArgumentException when the document is not a usable WhatsApp channel, or WhatsApp was
   *     not set up on {@code vertx} ({@link WhatsAppRuntime#install})
   */
  public static WhatsAppChannel from(Vertx vertx, WebClient client, Document channelDoc, Clock clock, Options options) {
    return new WhatsAppChannel(client, NumberSettings.of(channelDoc), clock, options, WhatsAppRuntime.of(vertx));
  }

  @Override
  public Future<SendResult> send(OutgoingMessage message) {
    String template = message.extra().get("template");
    boolean asTemplate = template != null && !"reply".equals(message.extra().get("kind"));
    Instant now = clock.instant();
    return asTemplate ? sendTemplate(message, template, now) : sendText(message, now);
  }

  private Future<SendResult> sendText(OutgoingMessage message, Instant now) {
    return contacts.windowOpen(number.channelId(), message.to(), now).compose(open -> {
      if (!open) return Future.succeededFuture(new SendResult.Held(WINDOW_CLOSED));
      Duration wait = pace.take(now);
      if (!wait.isZero()) return Future.succeededFuture(overThroughput(wait));
      return post(message, GraphMessages.text(message), null).compose(result -> {
        if (result instanceof SendResult.Held) {
          return contacts.windowClosed(number.channelId(), message.to(), clock.instant()).map(result);
        }
        return Future.succeededFuture(result);
      });
    });
  }

  /**
   * A business-initiated message: paced, then (with a tier set) a new contact takes a tier slot, given
   * back when the message does not go out.
   */
  private Future<SendResult> sendTemplate(OutgoingMessage message, String template, Instant now) {
    Duration wait = pace.take(now);
    if (!wait.isZero()) return Future.succeededFuture(overThroughput(wait));
    JsonArray parameters = new JsonArray(message.extra().getOrDefault("parameters", "[]"));
    String language = message.extra().getOrDefault("language", "en");
    Future<TierLimit.Slot> slot = number.tier().isEmpty() ? Future.succeededFuture(null)
        : contacts.isNewContact(number.channelId(), message.to(), now).compose(isNew -> isNew
            ? tier.take(number.channelId(), number.tier().getAsLong(), now) : Future.succeededFuture(null));
    return slot.compose(s -> {
      if (s != null && !s.taken()) {
        return Future.succeededFuture(new SendResult.RetryLater(s.freesIn(),
            "messaging tier reached: " + number.tier().getAsLong() + " new contacts per 24 h"));
      }
      return post(message, GraphMessages.template(message.to(), template, language, parameters), template)
          .compose(result -> afterTemplate(message, s, result, now));
    });
  }

  private Future<SendResult> afterTemplate(OutgoingMessage message, TierLimit.Slot slot, SendResult result, Instant now) {
    if (slot == null) return Future.succeededFuture(result);
    Future<Void> bookkeeping = result instanceof SendResult.Accepted
        ? contacts.counted(number.channelId(), message.to(), now)
        : tier.giveBack(number.channelId(), slot.hour());
    return bookkeeping.map(result).recover(err -> {
      log.error("WhatsApp channel {}: cannot update the tier count", number.channelId(), err);
      return Future.succeededFuture(result);
    });
  }

  private Future<SendResult> post(OutgoingMessage message, io.vertx.core.json.JsonObject body, String template) {
    return client.postAbs(number.messagesUrl())
        .connectTimeout(options.connectTimeout().toMillis())
        .idleTimeout(options.responseTimeout().toMillis())
        .bearerTokenAuthentication(number.accessToken())
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer())
        .map(answers::classify)
        .otherwise(answers::unanswered)
        .compose(result -> result instanceof SendResult.Accepted accepted
            ? remember(accepted.platformMessageId(), message, template).map(result)
            : Future.succeededFuture(result));
  }

  /** Meta took the message: remember its wamid so delivery statuses find it. Never undoes the send. */
  private Future<Void> remember(String wamid, OutgoingMessage message, String template) {
    return sent.record(wamid, number.channelId(), message, template, clock.instant()).recover(err -> {
      log.error("WhatsApp channel {}: message {} sent as {} but not recorded; its statuses will be ignored",
          number.channelId(), message.messageId(), wamid, err);
      return Future.succeededFuture();
    });
  }

  private static SendResult overThroughput(Duration wait) {
    return new SendResult.RetryLater(wait, "the number's messages per second are used up");
  }
}
